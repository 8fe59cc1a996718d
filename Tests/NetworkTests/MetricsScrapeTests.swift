import Foundation
import Operations
import Testing
import WeftClient

/// A live network under load, scraped as an operator would (`weft network top --once --json --series`,
/// HTTPS with the client's TLS identity): every metric of docs/operations.md is there, with a
/// plausible value.
@Suite(.serialized, .timeLimit(.minutes(5))) struct MetricsScrapeTests {
    struct Top: Decodable {
        struct Node: Decodable {
            var name: String
            var role: String
            var height: UInt64?
            var leader: Bool?
            var error: String?
            var series: [Sample]?
        }
        struct Sample: Decodable {
            var name: String
            var labels: [String: String]
            var value: Double
        }
        var nodes: [Node]
    }

    @Test func aLiveNetworkUnderLoadShowsEveryMetric() async throws {
        try await LocalNetworkFixture.with { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            let submitted = 120
            try await withThrowingTaskGroup(of: SubmitResult.self) { group in
                for index in 0..<submitted {
                    if index >= 16 { _ = try await group.next() }
                    group.addTask {
                        try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                 arguments: ["metrics\(index)", "red", "3", "bob", "100"].map { Array($0.utf8) })
                    }
                }
                for try await done in group { #expect(done.code == .valid) }
            }
            // Refusals: a proposal for a chaincode no peer has, and bytes that are not TLS on a peer's port.
            await #expect(throws: (any Error).self) {
                try await gateway.submitDirect(chaincode: "no-such-chaincode", function: "F", arguments: [])
            }
            let profile = try network.profile()
            let peerPort = try #require(Int(profile.peers[0].address.split(separator: ":").last ?? ""))
            let garbage = try RawSocket(port: peerPort)
            garbage.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))
            #expect(await garbage.isClosedByServer(within: 5))
            _ = try await waitForEqualHeights(gateway, profile)
            try await Task.sleep(for: .milliseconds(1500))   // one more round of the 1 s samplers

            let outcome = try await WeftProcess.run(["network", "top", "--dir", network.dir, "--once", "--json", "--series"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let top = try JSONDecoder().decode(Top.self, from: Data(outcome.stdout.utf8))
            #expect(top.nodes.count == 5)
            #expect(top.nodes.allSatisfy { $0.error == nil }, "\(top.nodes.compactMap(\.error))")
            try check(top, submitted: submitted)
            let firstPeer = try #require(top.nodes.first { $0.name == profile.peers[0].name })
            let handshakeFailures = (firstPeer.series ?? []).filter {
                $0.name == WeftMetrics.Name.rpcHandshakeFailures && $0.labels["reason"] == "tls_error"
            }
            #expect(handshakeFailures.first?.value ?? 0 >= 1, "the plaintext connection is not counted")
        }
    }

    private func check(_ top: Top, submitted: Int) throws {
        let peers = top.nodes.filter { $0.role == "peer" }
        let orderers = top.nodes.filter { $0.role == "orderer" }
        func value(_ node: Top.Node, _ name: String, _ labels: [String: String] = [:]) -> Double {
            (node.series ?? []).filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
                .reduce(0) { $0 + $1.value }
        }
        // Every documented metric appears on some node (histograms through their _count series).
        let seen = Set(top.nodes.flatMap { ($0.series ?? []).map(\.name) })
        for name in WeftMetrics.Name.all {
            let exposed = WeftMetrics.Name.histograms.contains(name) ? name + "_count" : name
            #expect(seen.contains(exposed), "no node exposes \(exposed)")
        }
        for peer in peers {
            let endorsed = value(peer, WeftMetrics.Name.proposalsEndorsed)
            #expect(endorsed >= Double(submitted), "\(peer.name) endorsed \(endorsed)")
            #expect(value(peer, WeftMetrics.Name.endorsementDuration + "_count") == endorsed)
            #expect(value(peer, WeftMetrics.Name.proposalsReceived) >= endorsed)
            #expect(value(peer, WeftMetrics.Name.transactionsValidated, ["code": "VALID", "chaincode": "asset-transfer"]) >= Double(submitted))
            #expect(value(peer, WeftMetrics.Name.blockHeight) >= 2)
            #expect(value(peer, WeftMetrics.Name.blockValidationDuration + "_count") >= 1)
            #expect(value(peer, WeftMetrics.Name.stateCommitDuration + "_count") == value(peer, WeftMetrics.Name.blockTransactions + "_count"))
            #expect(value(peer, WeftMetrics.Name.blockTransactions + "_sum") >= Double(submitted))
            #expect(value(peer, WeftMetrics.Name.ledgerFileBytes) > 0)
            #expect(value(peer, WeftMetrics.Name.connectedPeers) == 1)
            #expect(value(peer, WeftMetrics.Name.rpcRequests, ["route": "endorse", "status": "ok"]) >= Double(submitted))
            #expect(value(peer, WeftMetrics.Name.rpcRequestDuration + "_count", ["route": "endorse"]) >= Double(submitted))
            #expect(value(peer, WeftMetrics.Name.rpcConnections) >= 1)
            #expect(value(peer, WeftMetrics.Name.rpcStreams, ["route": "deliver"]) == 0)   // a peer serves no deliver
        }
        #expect(peers.map { value($0, WeftMetrics.Name.commitEventSubscribers) }.reduce(0, +) >= 1)   // the gateway's listener
        #expect(peers.map { value($0, WeftMetrics.Name.proposalsRefused, ["reason": "not_found"]) }.reduce(0, +) >= 1)
        let leaders = orderers.filter { value($0, WeftMetrics.Name.raftIsLeader) == 1 }
        #expect(leaders.count == 1)
        let cut = orderers.map { value($0, WeftMetrics.Name.blocksCut) }.reduce(0, +)
        #expect(cut >= 1)
        #expect(orderers.map { value($0, WeftMetrics.Name.blockEnvelopes + "_sum") }.reduce(0, +) >= Double(submitted))
        #expect(orderers.map { value($0, WeftMetrics.Name.broadcasts, ["status": "SUCCESS"]) }.reduce(0, +) >= Double(submitted))
        if let leader = leaders.first {
            #expect(value(leader, WeftMetrics.Name.broadcastToBlockDuration + "_count") >= Double(submitted))
        }
        // Each peer pulls blocks from one orderer.
        #expect(orderers.map { value($0, WeftMetrics.Name.deliverStreams) }.reduce(0, +) >= 2)
        for orderer in orderers {
            #expect(value(orderer, WeftMetrics.Name.raftTerm) >= 1)
            #expect(value(orderer, WeftMetrics.Name.blockHeight) >= 2)
            #expect(value(orderer, WeftMetrics.Name.connectedPeers) >= 1)
        }
        let now = Date().timeIntervalSince1970
        for node in top.nodes {
            #expect(value(node, WeftMetrics.Name.processCPUSeconds) > 0)
            #expect(value(node, WeftMetrics.Name.processResidentMemory) > 4_000_000)
            #expect(value(node, WeftMetrics.Name.processOpenFDs) > 3)
            let started = value(node, WeftMetrics.Name.processStartTime)
            #expect(started > now - 600 && started <= now + 1, "\(node.name) started at \(started)")
        }
    }
}
