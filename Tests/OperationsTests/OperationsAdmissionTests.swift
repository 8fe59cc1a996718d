import NIOCore
import Operations
import Testing

/// Hostile or careless clients: the connection cap, the absolute request deadline (slow loris), the
/// keep-alive idle timeout. Short configured deadlines; the tests wait on the server's close.
@Suite(.timeLimit(.minutes(5))) struct OperationsAdmissionTests {
    static func withServer(_ configuration: OperationsServer.Configuration, health: HealthRegistry = HealthRegistry(),
                           _ body: (OperationsServer) async throws -> Void) async throws {
        let router = OperationsRouter(health: health, logLevels: LogLevelControl(), metrics: WeftMetrics.bootstrap(),
                                      version: OperationsVersion(version: "0.1.0"))
        let server = try await OperationsServer.start(configuration: configuration, router: router)
        do {
            try await body(server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    /// Reads until the server closes; a reset counts as closed too.
    static func closedByServer(_ connection: HTTPTestConnection) async -> String {
        (try? await connection.readToEnd()) ?? ""
    }

    @Test func connectionsOverTheCapAreClosedAtOnce() async throws {
        try await Self.withServer(.init(host: "127.0.0.1", port: 0, maxConnections: 2)) { server in
            let port = server.port
            let keepAlive = HTTPTestConnection.requestText("GET", "/version", close: false)
            try await HTTPTestConnection.with(port: port) { first in
                try await first.send(keepAlive)
                #expect(try await first.readResponse().status == 200)
                try await HTTPTestConnection.with(port: port) { second in
                    try await second.send(keepAlive)
                    #expect(try await second.readResponse().status == 200)
                    try await HTTPTestConnection.with(port: port) { third in
                        try? await third.send(keepAlive)
                        #expect(await Self.closedByServer(third) == "")  // no answer: closed on accept
                    }
                }
            }
            // Both closed: the server admits again once it has seen them go.
            var status: Int?
            for _ in 0..<100 where status == nil {
                status = try? await HTTPTestConnection.request(port: port, "GET", "/version").status
                if status == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(status == 200)
        }
    }

    @Test func aSlowLorisIsClosedAtTheAbsoluteRequestDeadline() async throws {
        // One byte every 20 ms would keep an idle timer (60 s) from ever firing; the 300 ms request
        // deadline must close the connection long before the 100-byte head is complete (2 s).
        try await Self.withServer(.init(host: "127.0.0.1", port: 0, requestTimeout: .milliseconds(300))) { server in
            let head = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(String(repeating: "a", count: 60))\r\n\r\n".utf8)
            let start = ContinuousClock.now
            try await HTTPTestConnection.with(port: server.port) { connection in
                var sent = 0
                for byte in head where connection.isOpen {
                    try? await connection.send([byte])
                    sent += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
                let closedAfter = ContinuousClock.now - start
                #expect(!connection.isOpen)
                #expect(closedAfter >= .milliseconds(250))  // a deadline never fires early
                // Before the head was complete — counted in bytes, not in time: a loaded machine that
                // slows this loop down only sends fewer bytes before the deadline.
                #expect(sent < head.count, "the server read all \(head.count) bytes of the head before closing")
                #expect(await Self.closedByServer(connection) == "")
            }
        }
    }

    @Test func aClientThatSendsNothingIsClosedAtTheRequestDeadline() async throws {
        try await Self.withServer(.init(host: "127.0.0.1", port: 0, requestTimeout: .milliseconds(200))) { server in
            try await HTTPTestConnection.with(port: server.port) { connection in
                #expect(await Self.closedByServer(connection) == "")
            }
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        let configuration = OperationsServer.Configuration(
            host: "127.0.0.1", port: 0, idleTimeout: .milliseconds(200), requestTimeout: .seconds(30))
        try await Self.withServer(configuration) { server in
            let start = ContinuousClock.now
            try await HTTPTestConnection.with(port: server.port) { connection in
                try await connection.send(HTTPTestConnection.requestText("GET", "/version", close: false))
                #expect(try await connection.readResponse().status == 200)
                #expect(await Self.closedByServer(connection) == "")
            }
            #expect(ContinuousClock.now - start < .seconds(20))  // the idle timeout, not the 30 s request deadline
        }
    }

    @Test func theDeadlineDoesNotCutARequestBeingAnswered() async throws {
        let health = HealthRegistry(timeout: .seconds(5))
        health.register(component: "slow") { try await Task.sleep(for: .milliseconds(500)) }
        let configuration = OperationsServer.Configuration(host: "127.0.0.1", port: 0, requestTimeout: .milliseconds(200))
        try await Self.withServer(configuration, health: health) { server in
            try await HTTPTestConnection.with(port: server.port) { connection in
                try await connection.send(HTTPTestConnection.requestText("GET", "/healthz", close: false))
                #expect(try await connection.readResponse().status == 200)
                // The next request on the same connection gets a fresh deadline from its first byte.
                try await connection.send(HTTPTestConnection.requestText("GET", "/version", close: false))
                #expect(try await connection.readResponse().status == 200)
            }
        }
    }
}
