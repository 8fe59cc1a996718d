import NIOCore
import NIOPosix
import Operations
import Testing

/// Starting, binding and stopping the operations server.
@Suite(.timeLimit(.minutes(5))) struct OperationsServerLifecycleTests {
    static func router() -> OperationsRouter {
        OperationsRouter(health: HealthRegistry(), logLevels: LogLevelControl(), metrics: WeftMetrics.bootstrap(),
                         version: OperationsVersion(version: "0.1.0"))
    }

    @Test func shutdownClosesIdleKeepAliveConnectionsAndStopsAccepting() async throws {
        let server = try await OperationsServer.start(
            configuration: .init(host: "127.0.0.1", port: 0, shutdownGracePeriod: .seconds(90)), router: Self.router())
        let port = server.port
        try await HTTPTestConnection.with(port: port) { connection in
            try await connection.send(HTTPTestConnection.requestText("GET", "/version", close: false))
            #expect(try await connection.readResponse().status == 200)
            // The connection is idle and kept alive; shutdown must close it rather than wait for the grace period.
            let start = ContinuousClock.now
            await server.shutdown()
            #expect(ContinuousClock.now - start < .seconds(45))  // far below the 90 s grace period
            #expect(try await connection.readToEnd() == "")
        }
        await #expect(throws: (any Error).self) {
            _ = try await HTTPTestConnection.request(port: port, "GET", "/healthz")
        }
        await server.shutdown()  // a second call just returns
    }

    @Test func aRequestInProgressFinishesDuringShutdown() async throws {
        let health = HealthRegistry(timeout: .seconds(10))
        health.register(component: "slow") { try await Task.sleep(for: .milliseconds(300)) }
        let router = OperationsRouter(health: health, logLevels: LogLevelControl(), metrics: WeftMetrics.bootstrap(),
                                      version: OperationsVersion(version: "0.1.0"))
        let server = try await OperationsServer.start(configuration: .init(host: "127.0.0.1", port: 0), router: router)
        try await HTTPTestConnection.with(port: server.port) { connection in
            try await connection.send(HTTPTestConnection.requestText("GET", "/healthz", close: false))
            try await Task.sleep(for: .milliseconds(100))  // the request is being answered
            async let stopped: Void = server.shutdown()
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.headers["connection"] == "close")
            await stopped
        }
    }

    @Test func aPortInUseIsAClearError() async throws {
        let first = try await OperationsServer.start(configuration: .init(host: "127.0.0.1", port: 0), router: Self.router())
        let error = await #expect(throws: OperationsError.self) {
            _ = try await OperationsServer.start(configuration: .init(host: "127.0.0.1", port: first.port), router: Self.router())
        }
        if case .bindFailed(let address, _) = error {
            #expect(address == "127.0.0.1:\(first.port)")
        } else {
            Issue.record("expected bindFailed, got \(String(describing: error))")
        }
        await first.shutdown()
    }

    @Test(arguments: [
        ("0.0.0.0:9443", "0.0.0.0", 9443), ("127.0.0.1:0", "127.0.0.1", 0), ("[::1]:8443", "::1", 8443),
        (" localhost:65535 ", "localhost", 65535),
    ])
    func listenAddressesParse(text: String, host: String, port: Int) throws {
        let configuration = try OperationsServer.Configuration(listenAddress: text)
        #expect(configuration.host == host)
        #expect(configuration.port == port)
    }

    @Test(arguments: ["9443", ":9443", "host:", "host:65536", "host:-1", "host:94a3", "a b:1", "host:９"])
    func badListenAddressesAreRefused(text: String) {
        #expect(throws: OperationsError.invalidListenAddress(text)) {
            try OperationsServer.Configuration(listenAddress: text)
        }
    }
}
