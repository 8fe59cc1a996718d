import NIOCore
import Testing
import WeftCore
@testable import WeftRPC
import Wire

/// The rows of docs/wire.md's "What the server does with bad input" not covered elsewhere, each
/// checked for the error code, the request id it is sent under, whether the connection stays open,
/// and the log line an operator reads. (Unknown message type, role refused, call-style mismatch and
/// handler errors: `UnaryCallTests`, `StreamTests`; TLS refusals: `TLSHandshakeTests`; length over the
/// maximum, `response` from a client and garbage: `HostileClientTests`.)
@Suite struct BadInputTableTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    private func client(_ server: RPCServer) async throws -> RawConnection {
        try await RawConnection.authenticated(port: server.port, as: try network.credentials("Org1MSP", role: "client"))
    }

    @Test func aRequestIDAlreadyInFlightIsRefusedAndTheConnectionStaysOpen() async throws {
        let release = AsyncSignal()
        var routes = standardRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { body, _ in
            _ = await release.wait(upTo: .seconds(30))
            return body
        }
        try await withServer(network, routes: routes) { server in
            let raw = try await client(server)
            var frames = raw.frames.makeAsyncIterator()
            try await raw.send(Frame(type: .evaluate, requestID: 7, kind: .request, body: [1]))
            try await raw.send(Frame(type: .evaluate, requestID: 7, kind: .request, body: [2]))
            let refusal = try #require(await frames.next())
            #expect(refusal.kind == .error)
            #expect(refusal.requestID == 7)
            let error = RPCError(errorFrameBody: refusal.body)
            #expect(error.code == .protocolViolation)
            #expect(error.message == "request id 7 is already in flight")
            await release.fire()
            let answer = try #require(await frames.next())
            #expect(answer.kind == .response && answer.requestID == 7 && answer.body == [1], "the first call still completes")
            try await raw.send(Frame(type: .ping, requestID: 8, kind: .request, body: [3]))
            let pong = try #require(await frames.next())
            #expect(pong.kind == .response && pong.requestID == 8, "the connection stays open")
            await raw.close()
        }
    }

    @Test func aMalformedCreditClosesTheConnectionWithALogLine() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), logger: logger) { server in
            let raw = try await client(server)
            try await raw.send(Frame(type: .deliver, requestID: 5, kind: .credit, body: [1, 2]))
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            let last = try #require(frames.last)
            #expect(last.kind == .error && last.requestID == 5)
            #expect(RPCError(errorFrameBody: last.body).code == .protocolViolation)
            #expect(RPCError(errorFrameBody: last.body).message.hasPrefix("malformed credit body:"))
            #expect(log.all.contains { $0.hasPrefix("notice closing connection: malformed credit frame:") }, "\(log.all)")
            try await expectServing(server, network)
        }
    }

    @Test(arguments: [FrameKind.streamItem, .streamEnd, .error])
    func aServerFrameFromAClientClosesTheConnectionWithALogLine(kind: FrameKind) async throws {
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), logger: logger) { server in
            let raw = try await client(server)
            try await raw.send(Frame(type: .deliver, requestID: 12, kind: kind, body: []))
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            let last = try #require(frames.last)
            #expect(last.kind == .error && last.requestID == 12)
            let error = RPCError(errorFrameBody: last.body)
            #expect(error.code == .protocolViolation)
            #expect(error.message == "clients may not send \(kind) frames")
            #expect(log.all.contains { $0.hasPrefix("notice closing connection: a client sent a \(kind) frame") }, "\(log.all)")
            try await expectServing(server, network)
        }
    }

    @Test func aLengthUnderTheHeaderClosesTheConnectionUnderRequestIDZero() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), logger: logger) { server in
            let raw = try await client(server)
            try await raw.send([0, 0, 0, 5, 1, 2, 3, 4, 5])
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            let last = try #require(frames.last)
            #expect(last.kind == .error && last.requestID == 0)
            let error = RPCError(errorFrameBody: last.body)
            #expect(error.code == .protocolViolation)
            #expect(error.message == "frame length 5 is shorter than the 11-byte frame header")
            #expect(log.all.contains { $0.hasPrefix("notice closing connection: frame length 5 is shorter than the 11-byte frame header") }, "\(log.all)")
            try await expectServing(server, network)
        }
    }

    @Test func aConnectionEndingInsideAFrameIsLogged() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), logger: logger) { server in
            let raw = try await client(server)
            var buffer = ByteBufferAllocator().buffer(capacity: 64)
            try FrameEncoder.write(Frame(type: .evaluate, requestID: 3, kind: .request, body: Array(repeating: 9, count: 40)),
                                   to: &buffer, maximumFrameLength: 1 << 20)
            try await raw.send(Array(buffer.readableBytesView.prefix(20)))
            await raw.close()
            let expected = "notice connection closed by the remote side: connection closed inside a frame: "
            #expect(await eventually { log.all.contains { $0.hasPrefix(expected) } }, "\(log.all)")
            try await expectServing(server, network)
        }
    }

    @Test func noTLSHandshakeWithinTheTimeoutClosesTheConnectionWithALogLine() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        let configuration = RPCServerConfiguration(handshakeTimeout: .milliseconds(300))
        try await withServer(network, routes: standardRoutes(), configuration: configuration, logger: logger) { server in
            let raw = try await RawConnection.open(port: server.port, mode: .plaintext)
            #expect(await raw.isClosed(within: .seconds(30)))
            #expect(await eventually { log.all.contains { $0.hasPrefix("notice closing connection: no TLS handshake within 0.3 s") } }, "\(log.all)")
            try await expectServing(server, network)
        }
    }
}

/// Whether `condition` holds within `limit`, checked every 10 ms (a log line is written just after
/// the connection closes).
private func eventually(within limit: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
