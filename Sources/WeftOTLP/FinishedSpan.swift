import Tracing

/// A span that ended, as it is exported: immutable, with times in nanoseconds since the Unix epoch.
public struct FinishedSpan: Sendable {
    /// A link to another span (`Span.addLink`).
    public struct Link: Sendable {
        /// The linked span.
        public var context: SpanContext
        /// What the link means.
        public var attributes: SpanAttributes

        /// A link to the span of `context`.
        public init(context: SpanContext, attributes: SpanAttributes = [:]) {
            self.context = context
            self.attributes = attributes
        }
    }

    /// The span's ids, sampling flag and `tracestate`.
    public var context: SpanContext
    /// The parent span's id; nil for the root of a trace.
    public var parentSpanID: SpanID?
    /// The operation name (`weft/endorse`, `peer.commit`, …).
    public var name: String
    /// What the span stands for.
    public var kind: SpanKind
    /// When the span started and ended, in nanoseconds since the Unix epoch.
    public var startNanoseconds: UInt64
    public var endNanoseconds: UInt64
    /// The span's attributes as they were when it ended.
    public var attributes: SpanAttributes
    /// nil while no one set a status (OTLP "unset").
    public var status: SpanStatus?
    /// Events in the order they were added (`exception` for a recorded error).
    public var events: [SpanEvent]
    /// Links to other spans.
    public var links: [Link]

    /// A finished span with the given fields.
    public init(
        context: SpanContext, parentSpanID: SpanID?, name: String, kind: SpanKind,
        startNanoseconds: UInt64, endNanoseconds: UInt64, attributes: SpanAttributes = [:],
        status: SpanStatus? = nil, events: [SpanEvent] = [], links: [Link] = []
    ) {
        self.context = context
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
        self.attributes = attributes
        self.status = status
        self.events = events
        self.links = links
    }
}
