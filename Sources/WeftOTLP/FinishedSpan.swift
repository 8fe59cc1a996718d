import Tracing

/// A span that ended, as it is exported: immutable, with times in nanoseconds since the Unix epoch.
public struct FinishedSpan: Sendable {
    /// A link to another span (`Span.addLink`).
    public struct Link: Sendable {
        public var context: SpanContext
        public var attributes: SpanAttributes

        public init(context: SpanContext, attributes: SpanAttributes = [:]) {
            self.context = context
            self.attributes = attributes
        }
    }

    public var context: SpanContext
    /// The parent span's id; nil for the root of a trace.
    public var parentSpanID: SpanID?
    public var name: String
    public var kind: SpanKind
    public var startNanoseconds: UInt64
    public var endNanoseconds: UInt64
    public var attributes: SpanAttributes
    /// nil while no one set a status (OTLP "unset").
    public var status: SpanStatus?
    public var events: [SpanEvent]
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
