import NIOCore
#if canImport(Glibc)
import Glibc
#endif
import Testing
import WeftCore
@testable import WeftRPC
import Wire

@Suite struct UnaryCallTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    @Test func echoAndPing() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            #expect(try await client.call(.evaluate, [1, 2, 3]) == [1, 2, 3])
            #expect(try await client.call(.evaluate, []) == [])
            #expect(try await client.call(.ping, Array("hi".utf8)) == Array("hi".utf8))
            #expect(try await client.call(.evaluate, 7 as UInt64, as: UInt64.self) == 7)
            await client.close()
        }
    }

    @Test func concurrentCallsFromManyTasksOnOneConnection() async throws {
        var routes = RPCRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { body, _ in
            // Finish out of order so that responses must be matched by request id.
            try await Task.sleep(for: .milliseconds(Int(body[0] % 5)))
            return body.reversed()
        }
        try await withServer(network, routes: routes) { server in
            let client = try await network.connect(to: server)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<16 {
                    group.addTask {
                        for call in 0..<25 {
                            let body: [UInt8] = [UInt8(call), UInt8(task), 0xEE]
                            let response = try await client.call(.evaluate, body)
                            #expect(response == body.reversed())
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(client.callsInFlight == 0)
            await client.close()
        }
    }

    @Test func handlerErrorsReachTheCaller() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            await #expect(throws: RPCError(.handlerFailed, "chaincode panicked")) {
                try await client.call(.endorse, [])
            }
            await #expect(throws: RPCError(.badRequest, "proposal rejected for Org1MSP")) {
                try await client.call(.endorse, Array("rpc".utf8))
            }
            // The connection survives handler failures.
            #expect(try await client.call(.evaluate, [9]) == [9])
            await client.close()
        }
    }

    @Test func unknownMessageTypeIsRefusedAndTheConnectionStaysUsable() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            let error = await rpcError { try await client.call(.raftSnapshot, []) }
            #expect(error?.code == .unknownMessageType)
            #expect(error?.message.contains("raftSnapshot (201)") == true)
            #expect(try await client.call(.evaluate, [1]) == [1])
            await client.close()
        }
    }

    @Test func timeoutCancelsTheHandlerOnTheServer() async throws {
        let cancelled = AsyncSignal()
        var routes = RPCRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { _, _ in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                await cancelled.fire()
                throw error
            }
            return []
        }
        try await withServer(network, routes: routes) { server in
            let client = try await network.connect(to: server)
            let error = await rpcError { try await client.call(.evaluate, [], timeout: .milliseconds(100)) }
            #expect(error?.code == .deadlineExceeded)
            #expect(error?.message.contains("127.0.0.1:\(server.port)") == true)
            #expect(await cancelled.wait(upTo: .seconds(30)))
            #expect(try await client.call(.ping, [2]) == [2])
            await client.close()
        }
    }

    @Test func cancellingTheCallingTaskCancelsTheCall() async throws {
        let started = AsyncSignal()
        let cancelled = AsyncSignal()
        var routes = RPCRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { _, _ in
            await started.fire()
            do { try await Task.sleep(for: .seconds(30)) } catch { await cancelled.fire() }
            return []
        }
        try await withServer(network, routes: routes) { server in
            let client = try await network.connect(to: server)
            let call = Task { try await client.call(.evaluate, []) }
            #expect(await started.wait(upTo: .seconds(30)))
            call.cancel()
            let result = await call.result
            #expect((try? result.get()) == nil)
            #expect(await cancelled.wait(upTo: .seconds(30)))
            await client.close()
        }
    }

    @Test func oversizedResponseBecomesAnError() async throws {
        var routes = RPCRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { _, _ in Array(repeating: 1, count: 5000) }
        let configuration = RPCServerConfiguration(maximumFrameLength: 4096, handshakeTimeout: .seconds(60))
        try await withServer(network, routes: routes, configuration: configuration) { server in
            let client = try await network.connect(to: server, configuration: RPCClientConfiguration(maximumFrameLength: 4096, handshakeTimeout: .seconds(60)))
            #expect(await rpcError { try await client.call(.evaluate, []) }?.code == .frameTooLarge)
            // The client refuses to send an oversized request.
            #expect(await rpcError { try await client.call(.evaluate, Array(repeating: 0, count: 5000)) }?.code == .frameTooLarge)
            #expect(try await client.call(.ping, [3]) == [3])
            await client.close()
        }
    }

    @Test func refusedConnectionNamesTheEndpoint() async throws {
        // A socket bound but not listening holds a port that refuses connections, and no other test
        // (the network tests start servers on free ports) can take it meanwhile.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let security = try network.security("Org1MSP", role: "client")
        let error = await rpcError {
            try await RPCClient.connect(
                host: "127.0.0.1", port: port, security: security,
                authorizeServer: network.authorizer, logger: TestNetwork.quietLogger
            )
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(error?.message.contains("refused") == true)
    }

    @Test func closedClientFailsCallsClearly() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            await client.close()
            #expect(!client.isOpen)
            #expect(await rpcError { try await client.call(.ping, []) }?.code == .unavailable)
        }
    }
}

/// A one-shot signal between tasks, with a bounded wait.
actor AsyncSignal {
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func fire() {
        fired = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }

    var isFired: Bool { fired }

    private func waitForFire() async {
        if fired { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Whether the signal fired within `duration`.
    nonisolated func wait(upTo duration: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForFire(); return true }
            group.addTask { try? await Task.sleep(for: duration); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            if !first { await self.fire() }  // release the waiting child
            return first
        }
    }
}
