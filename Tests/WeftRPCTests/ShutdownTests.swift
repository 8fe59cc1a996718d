import Foundation
import NIOCore
import Testing
import WeftCore
@testable import WeftRPC
import Wire

@Suite(.timeLimit(.minutes(5))) struct ShutdownTests {
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
        // The server listens on a loopback address of its own (127.0.0.0/8 is all loopback on Linux), so
        // once it stops, no other test's server in this process can take over its address and port
        // between the shutdown and the check that connections are refused: only a wildcard listener
        // on the same port could (below).
        let host = UniqueLoopbackAddress.next()
        let security = try RPCTransportSecurity(credentials: network.credentials("OrdererMSP", role: "orderer", name: "orderer0", hosts: [host]))
        let server = try await network.startServer(
            routes: routes, configuration: RPCServerConfiguration(host: host, handshakeTimeout: .seconds(60)), security: security)
        let client = try await network.connect(to: server, host: host)
        let inFlight = Task { try await client.call(.evaluate, [8]) }
        #expect(await started.wait(upTo: .seconds(30)))
        await server.shutdown(gracePeriod: .seconds(5))
        #expect(try await inFlight.value == [8])
        #expect(server.connectionCount == 0)
        #expect(await rpcError { try await client.call(.ping, []) }?.code == .unavailable)
        // Nothing of this server answers any more: the connection is refused by TCP — or, when another
        // process on the machine (a node of a concurrently running network listening on every address)
        // has taken the freed port meanwhile, its TLS handshake refuses these credentials. A server
        // still listening would have accepted them.
        let refused = await rpcError { try await network.connect(to: server, host: host) }
        let byTCP = refused?.code == .unavailable && refused?.message.contains("connection refused") == true
        #expect(byTCP || refused?.code == .unauthenticated, "\(String(describing: refused)) (\(host):\(server.port))")
        await client.close()
    }

    @Test func gracePeriodBoundsAStuckHandler() async throws {
        let started = AsyncSignal()
        var routes = RPCRoutes()
        routes.unary(.evaluate, allowed: .anyMember) { _, _ in
            await started.fire()
            try await Task.sleep(for: .seconds(3600))
            return []
        }
        let server = try await network.startServer(routes: routes)
        let client = try await network.connect(to: server)
        let stuck = Task { try await client.call(.evaluate, []) }
        #expect(await started.wait(upTo: .seconds(30)))
        // The handler sleeps an hour: a shutdown that waited for it would outlast the suite's time
        // limit, so returning at all shows the grace period ended it (no wall-clock bound needed).
        await server.shutdown(gracePeriod: .milliseconds(200))
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

/// Loopback addresses other than 127.0.0.1, one per call and distinct from other test processes' (they
/// derive from the process id): a server bound to one has its address to itself.
enum UniqueLoopbackAddress {
    private static let counter = Counter()

    static func next() -> String {
        let pid = UInt32(getpid())
        return "127.\(1 + pid % 200).\(pid / 200 % 256).\(1 + counter.increment() % 254)"
    }

    /// `@unchecked Sendable`: `value` is only touched under `lock`.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
