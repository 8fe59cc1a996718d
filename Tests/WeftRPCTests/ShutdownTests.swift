import NIOCore
import Testing
import WeftCore
@testable import WeftRPC
import Wire

@Suite struct ShutdownTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    @Test func inFlightCallsFinishAndNewOnesAreRefused() async throws {
        let started = AsyncSignal()
        var routes = standardRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { body, _ in
            await started.fire()
            try await Task.sleep(for: .milliseconds(300))
            return body
        }
        let server = try await network.startServer(routes: routes)
        let client = try await network.connect(to: server)
        let inFlight = Task { try await client.call(.evaluate, [8]) }
        #expect(await started.wait(upTo: .seconds(30)))
        await server.shutdown(gracePeriod: .seconds(5))
        #expect(try await inFlight.value == [8])
        #expect(server.connectionCount == 0)
        #expect(await rpcError { try await client.call(.ping, []) }?.code == .unavailable)
        let refused = await rpcError { try await network.connect(to: server) }
        #expect(refused?.code == .unavailable)
        await client.close()
    }

    @Test func gracePeriodBoundsAStuckHandler() async throws {
        let started = AsyncSignal()
        var routes = RPCRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { _, _ in
            await started.fire()
            try await Task.sleep(for: .seconds(60))
            return []
        }
        let server = try await network.startServer(routes: routes)
        let client = try await network.connect(to: server)
        let stuck = Task { try await client.call(.evaluate, []) }
        #expect(await started.wait(upTo: .seconds(30)))
        let clock = ContinuousClock()
        let start = clock.now
        await server.shutdown(gracePeriod: .milliseconds(200))
        #expect(clock.now - start < .seconds(30))
        let error = await rpcError { try await stuck.value }
        #expect(error?.code == .unavailable)
        await client.close()
    }

    @Test func streamsEndWithUnavailable() async throws {
        var routes = RPCRoutes()
        routes.serverStream(.deliver, allowed: .anyMember) { _, _, writer in
            try await writer.send([1])
            try await Task.sleep(for: .seconds(60))
        }
        let server = try await network.startServer(routes: routes)
        let client = try await network.connect(to: server)
        var iterator = client.stream(.deliver, []).makeAsyncIterator()
        #expect(try await iterator.next() == [1])
        await server.shutdown(gracePeriod: .seconds(5))
        let error = await rpcError { try await iterator.next() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("shutting down") == true)
        await client.close()
    }
}
