import Instrumentation
import Tracing

/// A swift-distributed-tracing `Tracer` whose sampled spans go to an ``OTLPSpanExporter``, and whose
/// trace context crosses processes as W3C `traceparent` / `tracestate`.
///
/// A new span joins the trace of the ``SpanContext`` in the context it starts from (a local parent,
/// or a caller's context that `extract` read); without one it starts a new trace with a random id.
/// The ``TraceSampler`` decides at each start; the decision travels with the context.
public struct OTLPTracer: Tracer {
    public typealias Span = OTLPSpan

    /// Where sampled spans go when they end.
    public let exporter: OTLPSpanExporter
    /// Which traces are recorded.
    public let sampler: TraceSampler

    /// A tracer that hands sampled spans to `exporter`.
    public init(exporter: OTLPSpanExporter, sampler: TraceSampler = .default) {
        self.exporter = exporter
        self.sampler = sampler
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> OTLPSpan {
        var context = context()
        let parent = context.spanContext
        let traceID = parent?.traceID ?? TraceID.random()
        let spanContext = SpanContext(
            traceID: traceID, spanID: .random(), isSampled: sampler.isSampled(traceID: traceID, parent: parent),
            traceState: parent?.traceState)
        context.spanContext = spanContext
        return OTLPSpan(
            name: operationName, kind: kind, startNanoseconds: instant().nanosecondsSinceEpoch, context: context,
            spanContext: spanContext, parentSpanID: parent?.spanID, exporter: exporter)
    }

    /// Asks the exporter to send what it holds now rather than at its next scheduled export.
    public func forceFlush() {
        exporter.exportSoon()
    }

    /// Writes `traceparent` (and `tracestate` when there is one) for the span context in `context`;
    /// nothing outside a trace.
    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let spanContext = context.spanContext else { return }
        injector.inject(spanContext.traceparent, forKey: "traceparent", into: &carrier)
        if let traceState = spanContext.traceState {
            injector.inject(traceState, forKey: "tracestate", into: &carrier)
        }
    }

    /// Reads a caller's `traceparent` and `tracestate` into `context`, so spans started from it
    /// continue the caller's trace; a missing or malformed `traceparent` leaves `context` as it is.
    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let traceparent = extractor.extract(key: "traceparent", from: carrier),
              let spanContext = SpanContext(traceparent: traceparent, traceState: extractor.extract(key: "tracestate", from: carrier))
        else { return }
        context.spanContext = spanContext
    }
}
