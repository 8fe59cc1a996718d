import Synchronization
import Tracing

/// A span of ``OTLPTracer``: records its name, attributes, status, events and links until it ends,
/// then hands a ``FinishedSpan`` to its exporter — once; calls after `end` change nothing.
///
/// A span of an unsampled trace has ids (its context still propagates the decision) but records and
/// exports nothing: `isRecording` is false.
public final class OTLPSpan: Span {
    /// The context of this span: the one it was started in, with this span's ``SpanContext``.
    public let context: ServiceContext
    /// This span's ids and sampling decision.
    public let spanContext: SpanContext
    /// The parent span's id; nil for a root.
    public let parentSpanID: SpanID?
    /// What the span stands for: a call made, a call served, work inside a process.
    public let kind: SpanKind
    /// When the span started, in nanoseconds since the Unix epoch.
    public let startNanoseconds: UInt64

    private struct State {
        var name: String
        var attributes: SpanAttributes = [:]
        var status: SpanStatus?
        var events: [SpanEvent] = []
        var links: [FinishedSpan.Link] = []
        var hasEnded = false
    }

    private let state: Mutex<State>
    private let exporter: OTLPSpanExporter?

    init(
        name: String, kind: SpanKind, startNanoseconds: UInt64, context: ServiceContext, spanContext: SpanContext,
        parentSpanID: SpanID?, exporter: OTLPSpanExporter?
    ) {
        self.context = context
        self.spanContext = spanContext
        self.parentSpanID = parentSpanID
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        self.state = Mutex(State(name: name))
        self.exporter = spanContext.isSampled ? exporter : nil
    }

    public var isRecording: Bool {
        exporter != nil && !state.withLock(\.hasEnded)
    }

    public var operationName: String {
        get { state.withLock(\.name) }
        set { update { $0.name = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock(\.attributes) }
        set { update { $0.attributes = newValue } }
    }

    /// Sets the status; per OpenTelemetry, `ok` is final and an `error` does not replace it.
    public func setStatus(_ status: SpanStatus) {
        update { state in
            if state.status?.code != .ok { state.status = status }
        }
    }

    public func addEvent(_ event: SpanEvent) {
        update { $0.events.append(event) }
    }

    /// Records `error` as an `exception` event (OpenTelemetry's convention: `exception.type`,
    /// `exception.message`). The status is the caller's to set.
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        guard exporter != nil else { return }
        var eventAttributes = attributes
        eventAttributes["exception.type"] = "\(type(of: error))"
        eventAttributes["exception.message"] = "\(error)"
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    public func addLink(_ link: SpanLink) {
        guard let target = link.context.spanContext else { return }
        update { $0.links.append(FinishedSpan.Link(context: target, attributes: link.attributes)) }
    }

    /// Ends the span at `instant` and queues it for export (sampled spans only, first call only).
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard let exporter else { return }
        let finished: FinishedSpan? = state.withLock { state in
            guard !state.hasEnded else { return nil }
            state.hasEnded = true
            return FinishedSpan(
                context: spanContext, parentSpanID: parentSpanID, name: state.name, kind: kind,
                startNanoseconds: startNanoseconds, endNanoseconds: max(startNanoseconds, instant().nanosecondsSinceEpoch),
                attributes: state.attributes, status: state.status, events: state.events, links: state.links)
        }
        if let finished { exporter.enqueue(finished) }
    }

    /// Applies `change` while the span records (sampled and not ended).
    private func update(_ change: (inout State) -> Void) {
        guard exporter != nil else { return }
        state.withLock { state in
            if !state.hasEnded { change(&state) }
        }
    }
}
