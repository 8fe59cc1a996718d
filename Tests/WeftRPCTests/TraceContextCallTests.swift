import NIOCore
import Testing
import WeftCore
@testable import WeftRPC
import Wire

/// Trace context in request frames as a server sees it (docs/wire.md, "Trace context"): a traced
/// request is served like any other (tracing off here: the context is ignored), and a malformed
/// field closes the connection like any other protocol violation.
@Suite struct TraceContextCallTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    @Test func aTracedRequestIsServedAndItsContextIgnoredWhileTracingIsOff() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let raw = try await RawConnection.authenticated(port: server.port, as: try network.credentials("Org1MSP", role: "client"))
            let context = TraceContext(entries: [.init(key: "traceparent", value: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")])
            try await raw.send(Frame(type: .evaluate, requestID: 3, kind: .request, body: [1, 2, 3], traceContext: context))
            let answer = try #require(await raw.nextFrame())
            #expect(answer.kind == .response && answer.requestID == 3 && answer.body == [1, 2, 3])
            #expect(answer.traceContext == nil, "responses carry no trace context")
            await raw.close()
        }
    }

    @Test func aMalformedTraceContextClosesTheConnectionWithALogLine() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), logger: logger) { server in
            let raw = try await RawConnection.authenticated(port: server.port, as: try network.credentials("Org1MSP", role: "client"))
            // An evaluate request whose 4-byte field holds a key with a space.
            let rest: [UInt8] = [0, 2] + [0, 0, 0, 0, 0, 0, 0, 4] + [0x81] + [0, 4, 1, 0x20, 0, 0]
            try await raw.send([0, 0, 0, UInt8(rest.count)] + rest)
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            let last = try #require(frames.last)
            #expect(last.kind == .error && last.requestID == 0)
            #expect(RPCError(errorFrameBody: last.body).code == .protocolViolation)
            #expect(log.all.contains { $0.hasPrefix("notice closing connection: malformed trace context (request 4)") }, "\(log.all)")
        }
    }
}
