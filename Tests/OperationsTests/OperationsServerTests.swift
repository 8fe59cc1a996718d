import Foundation
import Logging
import NIOConcurrencyHelpers
import Operations
import Testing

/// The operations endpoint over real loopback HTTP.
@Suite(.timeLimit(.minutes(5))) struct OperationsServerTests {
    struct Parts {
        var health = HealthRegistry(timeout: .milliseconds(200))
        var logLevels = LogLevelControl()
        var version = OperationsVersion(version: "0.1.0", commit: "abc1234")
        var configuration = OperationsServer.Configuration(host: "127.0.0.1", port: 0)
    }

    /// Starts a server on a free loopback port, runs `body`, shuts the server down.
    static func withServer(_ parts: Parts = Parts(), _ body: (OperationsServer) async throws -> Void) async throws {
        let router = OperationsRouter(health: parts.health, logLevels: parts.logLevels, metrics: WeftMetrics.bootstrap(),
                                      version: parts.version)
        let server = try await OperationsServer.start(configuration: parts.configuration, router: router)
        do {
            try await body(server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func healthzIsOKWhenEveryCheckPasses() async throws {
        let parts = Parts()
        parts.health.register(component: "ledger") {}
        try await Self.withServer(parts) { server in
            #expect(server.port > 0)
            let response = try await HTTPTestConnection.request(port: server.port, "GET", "/healthz")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            #expect(try Self.json(response.body) as NSDictionary == ["status": "OK"] as NSDictionary)
        }
    }

    @Test func healthzIs503WithTheFailedChecksAndTheirReasons() async throws {
        let parts = Parts()
        parts.health.register(component: "ledger") {}
        parts.health.register(component: "orderer") {
            throw HealthCheckFailure("no orderer reachable: orderer0.orderer (127.0.0.1:7050) refused the connection")
        }
        parts.health.register(component: "raft") {
            // Exceeds the 200 ms timeout and is cancelled; were it not, the request would outlast the
            // suite's time limit (no wall-clock bound needed here).
            try await Task.sleep(for: .seconds(3600))
        }
        try await Self.withServer(parts) { server in
            let response = try await HTTPTestConnection.request(port: server.port, "GET", "/healthz")
            #expect(response.status == 503)
            let document = try Self.json(response.body)
            #expect(document["status"] as? String == "Service Unavailable")
            let failed = try #require(document["failedChecks"] as? [[String: String]])
            #expect(failed.map { $0["component"] } == ["orderer", "raft"])
            #expect(failed[0]["reason"] == "no orderer reachable: orderer0.orderer (127.0.0.1:7050) refused the connection")
            #expect(failed[1]["reason"]?.contains("did not answer within") == true)
        }
        parts.health.unregister(component: "orderer")
        parts.health.unregister(component: "raft")
        #expect(await parts.health.check().isHealthy)
    }

    @Test func metricsServeRecordedValuesInPrometheusTextFormat() async throws {
        let registry = WeftMetrics.bootstrap()
        #expect(WeftMetrics.bootstrap() === registry)  // idempotent
        WeftMetrics.transactionsValidated(code: "MVCC_READ_CONFLICT", chaincode: "smallbank").increment(by: 3)
        WeftMetrics.broadcasts(status: "SUCCESS").increment()
        WeftMetrics.raftTerm(channel: "mychannel").record(4)
        WeftMetrics.blockCommitTime(stage: .mvcc).recordMilliseconds(3)
        try await Self.withServer { server in
            let response = try await HTTPTestConnection.request(port: server.port, "GET", "/metrics")
            #expect(response.status == 200)
            #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let lines = Set(response.body.split(separator: "\n").map(String.init))
            #expect(lines.contains("# TYPE weft_transactions_validated_total counter"))
            #expect(lines.contains("weft_transactions_validated_total{code=\"MVCC_READ_CONFLICT\",chaincode=\"smallbank\"} 3"))
            #expect(lines.contains("# TYPE process_resident_memory_bytes gauge"))
            #expect(lines.contains("weft_broadcast_total{status=\"SUCCESS\"} 1"))
            #expect(lines.contains("weft_raft_term{channel=\"mychannel\"} 4.0"))
            #expect(lines.contains("# TYPE weft_block_commit_seconds histogram"))
            #expect(lines.contains("weft_block_commit_seconds_count{stage=\"mvcc\"} 1"))
            #expect(lines.contains("weft_block_commit_seconds_bucket{stage=\"mvcc\",le=\"0.005\"} 1"))
            #expect(lines.contains("weft_block_commit_seconds_bucket{stage=\"mvcc\",le=\"0.0025\"} 0"))
        }
    }

    @Test func logspecIsReadAndChangedAtRuntime() async throws {
        let parts = Parts()
        let captured = CapturedLines()
        var raftLogger = Logger(label: "weft.raft.storage") {
            WeftLogHandler(label: $0, control: parts.logLevels, sink: captured.sink)
        }
        raftLogger[metadataKey: "node"] = "orderer0"
        try await Self.withServer(parts) { server in
            var response = try await HTTPTestConnection.request(port: server.port, "GET", "/logspec")
            #expect(response.status == 200)
            #expect(try Self.json(response.body) as NSDictionary == ["spec": "info"] as NSDictionary)
            raftLogger.debug("before the change")

            response = try await HTTPTestConnection.request(port: server.port, "PUT", "/logspec",
                                                            body: #"{"spec":"weft.raft=DEBUG:warn"}"#)
            #expect(response.status == 204)
            #expect(response.body.isEmpty)
            response = try await HTTPTestConnection.request(port: server.port, "GET", "/logspec")
            #expect(try Self.json(response.body) as NSDictionary == ["spec": "weft.raft=debug:warning"] as NSDictionary)
            raftLogger.debug("after the change")
            #expect(parts.logLevels.level(forLabel: "weft.ledger") == .warning)

            response = try await HTTPTestConnection.request(port: server.port, "PUT", "/logspec", body: #"{"spec": "#)
            #expect(response.status == 400)
            #expect(try Self.json(response.body)["error"] as? String != nil)
            response = try await HTTPTestConnection.request(port: server.port, "PUT", "/logspec", body: #"{"spec":"loud"}"#)
            #expect(response.status == 400)
            #expect((try Self.json(response.body)["error"] as? String)?.contains("unknown level 'loud'") == true)
            #expect(parts.logLevels.spec.description == "weft.raft=debug:warning")
        }
        #expect(captured.lines.count == 1)
        #expect(captured.lines.first?.hasSuffix(" debug weft.raft.storage: after the change node=orderer0\n") == true)
    }

    @Test func versionReportsTheInjectedVersionAndCommit() async throws {
        try await Self.withServer { server in
            let response = try await HTTPTestConnection.request(port: server.port, "GET", "/version")
            #expect(response.status == 200)
            #expect(try Self.json(response.body) as NSDictionary == ["version": "0.1.0", "commit": "abc1234"] as NSDictionary)
        }
    }

    @Test func unknownPathsAre404AndWrongMethods405() async throws {
        try await Self.withServer { server in
            let missing = try await HTTPTestConnection.request(port: server.port, "GET", "/nope")
            #expect(missing.status == 404)
            #expect((try Self.json(missing.body)["error"] as? String)?.contains("/nope") == true)
            let wrong = try await HTTPTestConnection.request(port: server.port, "POST", "/healthz", body: "{}")
            #expect(wrong.status == 405)
            #expect(wrong.headers["allow"] == "GET")
            let delete = try await HTTPTestConnection.request(port: server.port, "DELETE", "/logspec")
            #expect(delete.status == 405)
            #expect(delete.headers["allow"] == "GET, PUT")
            let query = try await HTTPTestConnection.request(port: server.port, "GET", "/version?verbose=1")
            #expect(query.status == 200)
        }
    }

    @Test func garbageGets400AndTheServerKeepsServing() async throws {
        try await Self.withServer { server in
            let garbage: [[UInt8]] = [
                Array("\u{1}\u{2}NOT HTTP AT ALL\r\n\r\n".utf8),
                Array("GET /healthz HTTP/9.Z\r\n\r\n".utf8),
                Array("GET /healthz HTTP/1.1\r\nContent-Length: banana\r\n\r\n".utf8),
                [UInt8](repeating: 0xFF, count: 512),
            ]
            for bytes in garbage {
                let answer = try await HTTPTestConnection.with(port: server.port) { connection in
                    try await connection.send(bytes)
                    return try await connection.readToEnd()
                }
                #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "answer to \(bytes.prefix(16)): \(answer)")
            }
            let healthy = try await HTTPTestConnection.request(port: server.port, "GET", "/healthz")
            #expect(healthy.status == 200)
        }
    }

    @Test func oversizedRequestsAreRefusedWithoutHarm() async throws {
        var parts = Parts()
        parts.configuration.maxBodyBytes = 1024
        try await Self.withServer(parts) { server in
            let bigBody = try await HTTPTestConnection.request(
                port: server.port, "PUT", "/logspec", body: "{\"spec\":\"" + String(repeating: "a", count: 4096) + "\"}")
            #expect(bigBody.status == 413)
            let bigHeader = try await HTTPTestConnection.with(port: server.port) { connection in
                try await connection.send("GET /healthz HTTP/1.1\r\nX-Filler: \(String(repeating: "x", count: 200_000))\r\n\r\n")
                return try await connection.readToEnd()
            }
            #expect(bigHeader.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            let healthy = try await HTTPTestConnection.request(port: server.port, "GET", "/healthz")
            #expect(healthy.status == 200)
        }
    }

    @Test func keepAliveConnectionsServeSeveralRequestsInOrder() async throws {
        try await Self.withServer { server in
            try await HTTPTestConnection.with(port: server.port) { connection in
                // Two pipelined requests in one write, then one more.
                try await connection.send(HTTPTestConnection.requestText("GET", "/version", close: false)
                    + HTTPTestConnection.requestText("GET", "/nope", close: false))
                let first = try await connection.readResponse()
                let second = try await connection.readResponse()
                #expect(first.status == 200)
                #expect(first.headers["connection"] == "keep-alive")
                #expect(second.status == 404)
                try await connection.send(HTTPTestConnection.requestText("GET", "/healthz", close: true))
                let third = try await connection.readResponse()
                #expect(third.status == 200)
                #expect(third.headers["connection"] == "close")
                #expect(try await connection.readToEnd() == "")
            }
        }
    }
}

/// Lines written by a ``WeftLogHandler`` in a test.
final class CapturedLines: Sendable {
    private let storage = NIOLockedValueBox<[String]>([])

    var sink: LogSink {
        LogSink { line in self.storage.withLockedValue { $0.append(line) } }
    }

    var lines: [String] {
        storage.withLockedValue { $0 }
    }
}
