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
            configuration: .init(host: "127.0.0.1", port: 0, shutdownGracePeriod: .seconds(3600)), router: Self.router())
        let port = server.port
        try await HTTPTestConnection.with(port: port) { connection in
            try await connection.send(HTTPTestConnection.requestText("GET", "/version", close: false))
            #expect(try await connection.readResponse().status == 200)
            // The connection is idle and kept alive; shutdown must close it rather than wait for the grace
            // period — an hour, so a shutdown that waited would exceed the suite's time limit and fail it.
            await server.shutdown()
            #expect(try await connection.readToEnd() == "")
        }
        await #expect(throws: (any Error).self) {
            _ = try await HTTPTestConnection.request(port: port, "GET", "/healthz")
        }
        await server.shutdown()  // a second call just returns
    }

    /// No sleeps: the health check holds the request open until the test releases it, and the test
    /// releases it only once shutdown has visibly begun (an idle keep-alive connection was closed by it,
    /// which `shutdown()` does after it stops accepting and marks the server as shutting down).
    @Test func aRequestInProgressFinishesDuringShutdown() async throws {
        let started = Gate()
        let release = Gate()
        let health = HealthRegistry(timeout: .seconds(120))
        health.register(component: "held") {
            await started.open()
            await release.wait()
        }
        let router = OperationsRouter(health: health, logLevels: LogLevelControl(), metrics: WeftMetrics.bootstrap(),
                                      version: OperationsVersion(version: "0.1.0"))
        let server = try await OperationsServer.start(
            configuration: .init(host: "127.0.0.1", port: 0, shutdownGracePeriod: .seconds(120)), router: router)
        try await HTTPTestConnection.with(port: server.port) { idle in
            try await idle.send(HTTPTestConnection.requestText("GET", "/version", close: false))
            #expect(try await idle.readResponse().status == 200)
            try await HTTPTestConnection.with(port: server.port) { busy in
                try await busy.send(HTTPTestConnection.requestText("GET", "/healthz", close: false))
                await started.wait()  // the request is being answered
                async let stopped: Void = server.shutdown()
                #expect(try await idle.readToEnd() == "")  // shutdown has begun: idle connections are closed
                await release.open()
                let response = try await busy.readResponse()
                #expect(response.status == 200)
                #expect(response.headers["connection"] == "close")
                await stopped
            }
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

/// A one-way gate: `wait()` returns once `open()` was called (before or after).
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    func wait() async {
        guard !isOpen else { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
