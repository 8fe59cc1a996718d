import Foundation
import Testing

/// One `weft tx submit` on a traced local network (`WEFT_OTLP_ENDPOINT` pointing at a receiver of the
/// test's own): its spans arrive from every process, in one trace, as one tree — the client's calls to
/// one peer's gateway, that peer's calls to the other organization's peer and to the orderer.
@Suite(.serialized, .timeLimit(.minutes(3))) struct TracingTests {
    /// Spans the trace of one submit must hold, by the role of the process that sends them.
    static let expected: [(role: String, name: String)] = [
        ("client", "tx.submit"), ("client", "tx.endorse"), ("client", "weft/gatewayEndorse"), ("client", "tx.broadcast"),
        ("client", "weft/gatewaySubmit"), ("client", "tx.commit_status"),
        ("peer", "weft/gatewayEndorse"), ("peer", "weft/endorse"), ("peer", "weft/gatewaySubmit"), ("peer", "weft/broadcast"),
        ("peer", "peer.simulate"), ("peer", "peer.validate"), ("peer", "peer.commit"),
        ("orderer", "weft/broadcast"), ("orderer", "orderer.block_cut"), ("orderer", "orderer.raft_commit"),
        ("orderer", "orderer.deliver"),
    ]

    @Test func oneSubmitIsOneTraceAcrossEveryProcess() async throws {
        let receiver = try await OTLPReceiver.start()
        defer { Task { await receiver.stop() } }
        // Export batches every 100 ms, so the test waits on spans, not on the default 5 s schedule.
        let environment = ["WEFT_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"]
        try await LocalNetworkFixture.with(orderers: 1, environment: environment) { network in
            let submit = try await WeftProcess.run(
                ["tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer", "--function", "CreateAsset",
                 "--args", "traced1", "blue", "5", "alice", "300", "--json"], environment: environment)
            #expect(submit.status == 0, "\(submit.stderr)")
            let output = try #require(try JSONSerialization.jsonObject(with: Data(submit.stdout.utf8)) as? [String: Any])
            let txID = try #require(output["txID"] as? String)
            let peers = try network.profile().peers.map(\.name)

            // Wait until the trace holds every expected span from every peer (peers export on their own schedule).
            var trace: [OTLPReceiver.Span] = []
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                trace = Self.trace(of: txID, in: receiver.spans)
                if Self.isComplete(trace, peers: peers) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(Self.isComplete(trace, peers: peers), "incomplete trace:\n\(trace.map(\.description).joined(separator: "\n"))")
            try Self.checkTree(trace, peers: peers)
            // Nothing else is traced: no spans of background work (Raft, block pulling, queries outside a submit).
            let others = receiver.spans.filter { $0.traceID != trace.first?.traceID }
            #expect(others.isEmpty, "spans outside the submit's trace: \(others)")
        }
    }

    /// The spans of the trace whose root is the submit of `txID`.
    static func trace(of txID: String, in spans: [OTLPReceiver.Span]) -> [OTLPReceiver.Span] {
        guard let root = spans.first(where: { $0.name == "tx.submit" && $0.attributes["weft.tx_id"] == txID }) else { return [] }
        return spans.filter { $0.traceID == root.traceID }
    }

    static func role(of span: OTLPReceiver.Span) -> String {
        span.service == "weft-client" ? "client" : span.service.hasPrefix("peer") ? "peer" : "orderer"
    }

    static func isComplete(_ trace: [OTLPReceiver.Span], peers: [String]) -> Bool {
        let present = Set(trace.map { "\(role(of: $0)) \($0.name)" })
        let perPeer = peers.allSatisfy { peer in
            ["peer.simulate", "peer.validate", "peer.commit"].allSatisfy { name in
                trace.contains { $0.service == peer && $0.name == name }
            } && trace.contains { $0.service == peer && ["weft/endorse", "weft/gatewayEndorse"].contains($0.name) && $0.kind == 2 }
        }
        return expected.allSatisfy { present.contains("\($0.role) \($0.name)") } && perPeer
    }

    /// One root (the client's submit); every other span's parent is in the trace; a server span's
    /// parent is the matching client span of another process; phase spans hang under their process's
    /// own server span.
    static func checkTree(_ trace: [OTLPReceiver.Span], peers: [String]) throws {
        #expect(trace.count >= 8)
        #expect(Set(trace.map(\.service)).count >= 4, "services: \(Set(trace.map(\.service)))")
        let byID = Dictionary(trace.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byID.count == trace.count, "span ids repeat")
        let roots = trace.filter { $0.parentID.isEmpty }
        #expect(roots.count == 1 && roots.first?.name == "tx.submit" && roots.first?.service == "weft-client", "roots: \(roots)")
        let server = 2, client = 3   // OTLP SpanKind
        for span in trace where !span.parentID.isEmpty {
            let parent = try #require(byID[span.parentID], "\(span) has a parent outside the trace")
            if span.kind == server {
                #expect(parent.kind == client && parent.name == span.name && parent.service != span.service, "\(span) under \(parent)")
            }
            switch span.name {
            case "peer.simulate", "peer.validate", "peer.commit":
                // The gateway peer endorses inside its gatewayEndorse call, the other inside its endorse call.
                #expect(["weft/endorse", "weft/gatewayEndorse"].contains(parent.name) && parent.kind == server && parent.service == span.service,
                        "\(span) under \(parent)")
            case "orderer.block_cut", "orderer.raft_commit", "orderer.deliver":
                #expect(parent.name == "weft/broadcast" && parent.kind == server && parent.service == span.service, "\(span) under \(parent)")
            case "tx.endorse", "tx.broadcast", "tx.commit_status":
                #expect(parent.name == "tx.submit", "\(span) under \(parent)")
            default:
                break
            }
        }
        let delivered = Set(trace.filter { $0.name == "orderer.deliver" }.compactMap { $0.attributes["weft.peer"] })
        #expect(delivered.count == peers.count, "orderer.deliver to \(delivered)")
        for span in trace where span.name == "peer.validate" {
            #expect(span.attributes["weft.validation_code"] == "VALID")
        }
    }
}
