import Instrumentation
import NIOCore
import Tracing
import WeftTracing
import Wire

/// Trace context across RPC calls: a traced unary call is a client span on the caller, its
/// `traceparent` (and `tracestate`) travel in the request frame (`Frame.traceContext`, docs/wire.md),
/// and the server runs the handler in a server span continuing that trace, so the handler's own spans
/// and the calls it makes join it. Calls outside a trace, streams, and every call while tracing is off
/// carry nothing and make no span.
enum RPCTracing {
    /// The span name of a call of `type`: `weft/endorse`, `weft/broadcast`, …
    static func spanName(_ typeCode: UInt16) -> String {
        "weft/" + methodName(typeCode)
    }

    /// The message type's name (`endorse`), or its number when this build does not know it.
    static func methodName(_ typeCode: UInt16) -> String {
        MessageType(rawValue: typeCode).map { "\($0)" } ?? "\(typeCode)"
    }

    /// Names the call on `span` (OpenTelemetry's RPC attributes).
    static func describeCall(_ typeCode: UInt16, on span: (any Span)?) {
        span?.attributes["rpc.system"] = "weft"
        span?.attributes["rpc.method"] = methodName(typeCode)
    }

    /// The current trace context as frame entries, or nil when there is none to send.
    static func outgoingContext() -> TraceContext? {
        guard let current = ServiceContext.current else { return nil }
        var carrier = TraceContext()
        InstrumentationSystem.instrument.inject(current, into: &carrier, using: TraceContextInjector())
        return carrier.entries.isEmpty || !carrier.isEncodable ? nil : carrier
    }

    /// The caller's trace context from a request frame, when tracing is on and the frame has one.
    static func incomingContext(_ frame: Frame) -> ServiceContext? {
        guard WeftTracing.isEnabled, let carrier = frame.traceContext else { return nil }
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(carrier, into: &context, using: TraceContextExtractor())
        return context
    }

    /// Runs a unary handler in a server span continuing `parent`; the span carries the route and the
    /// caller, and an error outcome sets its status.
    static func serve(
        _ typeCode: UInt16, caller: Caller, parent: ServiceContext,
        _ handler: () async -> Result<[UInt8], RPCError>
    ) async -> Result<[UInt8], RPCError> {
        await WeftTracing.withSpan(spanName(typeCode), ofKind: .server, continuing: parent) { span in
            describeCall(typeCode, on: span)
            span?.attributes["weft.caller"] = caller.description
            let outcome = await handler()
            if case .failure(let error) = outcome {
                span?.attributes["weft.rpc.error"] = "\(error.code)"
                span?.setStatus(SpanStatus(code: .error, message: error.message))
            }
            return outcome
        }
    }
}

/// Writes a tracer's propagation fields (`traceparent`, `tracestate`) into a frame's trace context.
struct TraceContextInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout TraceContext) {
        carrier.append(key: key, value: value)
    }
}

/// Reads a tracer's propagation fields from a frame's trace context.
struct TraceContextExtractor: Extractor {
    func extract(key: String, from carrier: TraceContext) -> String? {
        carrier[key]
    }
}

extension RPCClient {
    /// `call` inside a client span, with the span's context in the request frame (when tracing is
    /// on and the caller is inside a trace).
    func tracedCall(_ type: MessageType, _ body: [UInt8], timeout: TimeAmount?) async throws(RPCError) -> [UInt8] {
        let endpoint = self.endpoint
        let server = self.server.description
        return try await WeftTracing.withSpan(RPCTracing.spanName(type.rawValue), ofKind: .client) { span throws(RPCError) in
            RPCTracing.describeCall(type.rawValue, on: span)
            span?.attributes["server.address"] = endpoint
            span?.attributes["weft.server"] = server
            return try await unaryCall(type, body, timeout: timeout, traceContext: RPCTracing.outgoingContext())
        }
    }
}
