import NIOCore
import NIOPosix
import Testing
import WeftTestSupport
import WeftCore
@testable import WeftRPC
import Wire

/// Clients that send garbage, lie about frame sizes, hang up mid-frame or just sit there: each gets
/// a refusal or a closed connection, and a well-behaved client keeps being served meanwhile.
@Suite struct HostileClientTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    /// 20 rounds of seeded random bytes (the seed is the test's argument, so a failure names it).
    @Test(arguments: [UInt64(0x6761_7262)])
    func garbageBytesCloseOnlyThatConnection(seed: UInt64) async throws {
        // Most garbage is refused at once (length over the maximum, unknown kind, no handshake);
        // garbage that happens to start like a long frame waits for the handshake timeout.
        let configuration = RPCServerConfiguration(handshakeTimeout: .seconds(1))
        try await withServer(network, routes: standardRoutes(), configuration: configuration) { server in
            let good = try await network.connect(to: server)
            var generator = SeededGenerator(seed: seed)
            for round in 0..<20 {
                let raw = try await RawConnection.open(port: server.port, mode: .plaintext)
                let garbage = generator.bytes(64 + round * 37)
                try? await raw.send(garbage)
                #expect(await raw.isClosed(within: .seconds(30)), "seed \(seed), garbage round \(round) left the connection open")
                #expect(try await good.call(.evaluate, [UInt8(round)]) == [UInt8(round)])
            }
            await good.close()
        }
    }

    @Test func garbageAfterTheHandshakeClosesThatConnection() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let good = try await network.connect(to: server)
            let raw = try await RawConnection.authenticated(port: server.port, as: try network.credentials("Org1MSP", role: "client"))
            // A frame of a valid length with an unknown kind byte.
            try await raw.send([0, 0, 0, 11, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0xEE])
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            #expect(frames.last.map { RPCError(errorFrameBody: $0.body).code } == .protocolViolation)
            #expect(try await good.call(.ping, [1]) == [1])
            await good.close()
        }
    }

    @Test func oversizedFrameIsRefusedWithoutReadingIt() async throws {
        let configuration = RPCServerConfiguration(maximumFrameLength: 64 << 10, handshakeTimeout: .seconds(60))
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), configuration: configuration, logger: logger) { server in
            let good = try await network.connect(to: server, configuration: RPCClientConfiguration(maximumFrameLength: 64 << 10, handshakeTimeout: .seconds(60)))
            let raw = try await RawConnection.authenticated(port: server.port, as: try network.credentials("Org1MSP", role: "client"))
            let localPort = raw.channel.localAddress?.port ?? -1
            // Claims 3 GiB; sends a few bytes of it.
            try await raw.send([0xC0, 0, 0, 0] + Array(repeating: 0, count: 100))
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            let error = frames.last.map { RPCError(errorFrameBody: $0.body) }
            #expect(error?.code == .frameTooLarge)
            #expect(error?.message == "frame length 3221225472 exceeds the maximum of 65536 bytes")
            let line = log.all.first { $0.contains("exceeds the maximum") }
            #expect(line?.hasPrefix("notice closing connection: frame length 3221225472 exceeds the maximum of 65536 bytes") == true)
            #expect(line?.contains("remote=127.0.0.1:\(localPort)") == true, "the log line names the remote address: \(log.all)")
            #expect(try await good.call(.evaluate, [2]) == [2])
            await good.close()
        }
    }

    @Test func oversizedFrameFromAnAuthenticatedClient() async throws {
        let configuration = RPCServerConfiguration(maximumFrameLength: 1024, handshakeTimeout: .seconds(60))
        try await withServer(network, routes: standardRoutes(), configuration: configuration) { server in
            let raw = try await RawConnection.authenticated(port: server.port, as: try network.credentials("Org1MSP", role: "client"))
            try await raw.send(Frame(type: .evaluate, requestID: 1, kind: .request, body: Array(repeating: 1, count: 2000)))
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            #expect(frames.last.map { RPCError(errorFrameBody: $0.body).code } == .frameTooLarge)
            try await expectServing(server, network)
        }
    }

    @Test func truncatedFrameThenHangUp() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let good = try await network.connect(to: server)
            for authenticated in [false, true] {
                let raw = authenticated
                    ? try await RawConnection.authenticated(port: server.port, as: try network.credentials("Org1MSP", role: "client"))
                    : try await RawConnection.open(port: server.port, mode: .plaintext)
                var buffer = ByteBufferAllocator().buffer(capacity: 64)
                try FrameEncoder.write(Frame(type: .evaluate, requestID: 3, kind: .request, body: Array(repeating: 9, count: 40)), to: &buffer, maximumFrameLength: 1 << 20)
                try await raw.send(Array(buffer.readableBytesView.prefix(20)))
                await raw.close()
            }
            #expect(try await good.call(.evaluate, [3]) == [3])
            await good.close()
        }
    }

    @Test func clientSendingServerFramesIsClosed() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let raw = try await RawConnection.authenticated(port: server.port, as: try network.credentials("Org1MSP", role: "client"))
            try await raw.send(Frame(type: .evaluate, requestID: 9, kind: .response, body: []))
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            #expect(frames.last.map { RPCError(errorFrameBody: $0.body).code } == .protocolViolation)
            try await expectServing(server, network)
        }
    }

    @Test func aThousandIdleConnectionsEvictTheirOwnOldestNotOthers() async throws {
        // 1,000 client sockets and up to 513 server sockets in this one process, plus the suite's own.
        let limit = FileDescriptorLimit.raise(toAtLeast: 4_096)
        try #require(limit >= 2_048, "the open-file limit is \(limit) and cannot be raised (hard limit) for 1,000 connections")
        let configuration = RPCServerConfiguration(handshakeTimeout: .seconds(60), maximumHandshakesPerAddress: 512)
        try await withServer(network, routes: standardRoutes(), configuration: configuration) { server in
            let good = try await network.connect(to: server)
            var idle: [Channel] = []
            let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            for _ in 0..<1000 {
                // Connect and say nothing: each server connection waits in its TLS handshake.
                idle.append(try await bootstrap.connect(host: "127.0.0.1", port: server.port).get())
            }
            // The server accepts asynchronously; past 512 unauthenticated connections from one address it
            // closes the oldest of them for each new one, so it holds 512 of them plus the good client.
            try await waitFor("the server to hold 513 connections") { server.connectionCount == 513 }
            for index in 0..<50 {
                #expect(try await good.call(.evaluate, [UInt8(index)]) == [UInt8(index)])
            }
            let late = try await network.connect(to: server)
            #expect(try await late.call(.ping, [1]) == [1])
            await late.close()
            // Hanging up releases every server connection (the handshake timeout would too; see
            // TLSHandshakeTests.silentConnectionIsClosedAfterTheHandshakeTimeout).
            for channel in idle { try? await channel.close() }
            try await waitFor("the server to hold only the good connection") { server.connectionCount == 1 }
            #expect(try await good.call(.ping, [2]) == [2])
            await good.close()
        }
    }
}
