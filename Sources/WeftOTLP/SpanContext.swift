import Instrumentation

/// What identifies a span to other spans and other processes (W3C trace context): its trace, its own
/// id, whether the trace is sampled, and the vendor `tracestate` passed along unchanged.
///
/// ``OTLPTracer`` keeps the current span's `SpanContext` in the `ServiceContext` (``spanContext``), so a
/// child started from that context joins the trace, and `inject` writes it as `traceparent`.
public struct SpanContext: Hashable, Sendable {
    /// The trace this span belongs to.
    public var traceID: TraceID
    /// This span's id: the parent id of its children.
    public var spanID: SpanID
    /// Whether the trace is recorded and exported (`traceparent` flag 01). Children follow it under a
    /// parent-based sampler, so one decision — the root's — holds across every process.
    public var isSampled: Bool
    /// The `tracestate` header as received, passed on to children and callees; nil when absent.
    public var traceState: String?
    /// Whether this context came from another process (extracted from a request), not a local span.
    public var isRemote: Bool

    /// A span context with the given fields.
    public init(traceID: TraceID, spanID: SpanID, isSampled: Bool, traceState: String? = nil, isRemote: Bool = false) {
        self.traceID = traceID
        self.spanID = spanID
        self.isSampled = isSampled
        self.traceState = traceState
        self.isRemote = isRemote
    }
}

/// Where a `ServiceContext` holds the current span's ``SpanContext``.
enum SpanContextKey: ServiceContextKey {
    typealias Value = SpanContext
    static var nameOverride: String? { "weft-otlp-span-context" }
}

extension ServiceContext {
    /// The span context of the span this context belongs to (set by ``OTLPTracer`` when it starts a
    /// span or extracts a caller's `traceparent`); nil outside any trace.
    public var spanContext: SpanContext? {
        get { self[SpanContextKey.self] }
        set { self[SpanContextKey.self] = newValue }
    }
}
