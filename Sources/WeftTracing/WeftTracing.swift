import Instrumentation
import Synchronization
import Tracing

/// Weft's spans, through swift-distributed-tracing (docs/operations.md, "Traces").
///
/// Off unless a process bootstraps a tracer (`Operations.TracingBootstrap`, when an OTLP endpoint is
/// configured) and then calls ``enable()``. While off, every helper here is one relaxed atomic load
/// and a direct call of its body: no span objects, no task-local lookups, and the RPC layer puts no
/// trace context on the wire.
public enum WeftTracing {
    private static let enabled = Atomic<Bool>(false)

    /// Whether a tracer is bootstrapped and spans are recorded.
    @inline(__always)
    public static var isEnabled: Bool { enabled.load(ordering: .relaxed) }

    /// Turns the helpers on; call once, right after bootstrapping `InstrumentationSystem`.
    public static func enable() {
        enabled.store(true, ordering: .relaxed)
    }

    /// Whether a span should be made here: tracing is on and the current task is inside a trace.
    /// Work outside any trace (Raft traffic, block pulling, queries) makes no spans.
    public static var isTracing: Bool {
        isEnabled && ServiceContext.current != nil
    }

    /// Runs `body` inside a new span named `name`, a child of the current trace. Without a current
    /// trace (or with tracing off) `body` runs alone and gets nil; with `startsTrace`, a span is made
    /// even without one (the root of a new trace: a client's submit).
    ///
    /// An error thrown by `body` is recorded on the span and sets its status to error.
    public static func withSpan<T, E: Error>(
        _ name: String, ofKind kind: SpanKind = .internal, startsTrace: Bool = false,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (_ span: (any Span)?) async throws(E) -> T
    ) async throws(E) -> T {
        guard isEnabled, startsTrace || ServiceContext.current != nil else { return try await body(nil) }
        return try await run(InstrumentationSystem.tracer.startSpan(name, context: ServiceContext.current ?? .topLevel, ofKind: kind), body)
    }

    /// Runs `body` inside a new span named `name` whose parent is `parent` (a context a caller sent,
    /// see `TraceContext` in Wire); `body` alone when tracing is off.
    public static func withSpan<T, E: Error>(
        _ name: String, ofKind kind: SpanKind, continuing parent: ServiceContext,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (_ span: (any Span)?) async throws(E) -> T
    ) async throws(E) -> T {
        guard isEnabled else { return try await body(nil) }
        return try await run(InstrumentationSystem.tracer.startSpan(name, context: parent, ofKind: kind), body)
    }

    /// `withSpan` for synchronous work (on the blocking executor): a child of the current trace, or
    /// `body` alone without one.
    public static func withSynchronousSpan<T, E: Error>(
        _ name: String, _ body: (_ span: (any Span)?) throws(E) -> T
    ) throws(E) -> T {
        guard isEnabled, let parent = ServiceContext.current else { return try body(nil) }
        let span = InstrumentationSystem.tracer.startSpan(name, context: parent, ofKind: .internal)
        defer { span.end() }
        return try settle(span, ServiceContext.withValue(span.context) { Result { () throws(E) -> T in try body(span) } })
    }

    /// Runs `body` outside any trace: for background work that a traced call merely starts (a stream
    /// that outlives it, reconnecting later), so its calls join no trace.
    public static func outsideTrace<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async -> T) async -> T {
        guard isEnabled, ServiceContext.current != nil else { return await body() }
        return await ServiceContext.withValue(nil) { await body() }
    }

    /// `work` carrying the current trace context to the thread that runs it (the blocking executor,
    /// where task-locals do not reach); `work` itself when tracing is off or no trace is current.
    public static func bindingCurrentContext<T>(_ work: @escaping @Sendable () throws -> T) -> @Sendable () throws -> T {
        guard isEnabled, let context = ServiceContext.current else { return work }
        return { try ServiceContext.withValue(context) { try work() } }
    }

    /// Records a span that already happened: from `start` to `end`, child of `parent` (a context
    /// remembered earlier, see ``TransactionTraces``). Nothing when tracing is off.
    public static func recordSpan(
        _ name: String, parent: ServiceContext, from start: DefaultTracerClock.Instant, to end: DefaultTracerClock.Instant,
        attributes: SpanAttributes = [:]
    ) {
        guard isEnabled else { return }
        let span = InstrumentationSystem.tracer.startSpan(name, context: parent, ofKind: .internal, at: start)
        span.attributes = attributes
        span.end(at: end)
    }

    /// Ends `span` after `body`, with `span.context` as the current context inside `body`.
    private static func run<T, E: Error>(
        _ span: any Span, isolation: isolated (any Actor)? = #isolation,
        _ body: (_ span: (any Span)?) async throws(E) -> T
    ) async throws(E) -> T {
        defer { span.end() }
        let result: Result<T, E> = await ServiceContext.withValue(span.context) {
            do throws(E) {
                return .success(try await body(span))
            } catch {
                return .failure(error)
            }
        }
        return try settle(span, result)
    }

    /// `result`'s value, or its error thrown after recording it on `span` (status error).
    private static func settle<T, E: Error>(_ span: any Span, _ result: Result<T, E>) throws(E) -> T {
        if case .failure(let error) = result {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
        }
        return try result.get()
    }
}

extension DefaultTracerClock.Instant {
    /// The instant `duration` before this one.
    public func minus(_ duration: Duration) -> Self {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        return Self(nanosecondsSinceEpoch: nanosecondsSinceEpoch &- min(UInt64(nanoseconds), nanosecondsSinceEpoch))
    }
}
