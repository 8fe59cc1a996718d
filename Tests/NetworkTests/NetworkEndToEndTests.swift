import Foundation
import Ledger
import Testing
import WeftClient
import WeftCore

/// Real processes on loopback: `weft network up` with 3 orderers and 2 organizations, transactions through
/// the CLI and the client library, read back from every peer.
@Suite(.serialized, .timeLimit(.minutes(5))) struct NetworkEndToEndTests {
    struct SubmitOutput: Decodable {
        var txID: String
        var blockNumber: UInt64
        var validationCode: String
    }

    @Test func twoHundredTransactionsThroughCLIAndLibraryAgreeOnEveryPeer() async throws {
        try await LocalNetworkFixture.with { network in
            try await submitAndCheck(network)
        }
    }

    private func submitAndCheck(_ network: LocalNetworkFixture) async throws {
        let gateway = try network.gateway()
        defer { Task { await gateway.close() } }

        // 20 through the CLI, four at a time.
        var txIDs: [String] = []
        try await withThrowingTaskGroup(of: String.self) { group in
            for batch in stride(from: 0, to: 20, by: 4) {
                for index in batch..<batch + 4 {
                    group.addTask {
                        let outcome = try await WeftProcess.run([
                            "tx", "submit", "--dir", network.dir, "--json", "--chaincode", "asset-transfer",
                            "--function", "CreateAsset", "--args", "cli\(index)", "blue", "5", "alice", "300",
                        ])
                        #expect(outcome.status == 0, "\(outcome.stderr)")
                        let output = try JSONDecoder().decode(SubmitOutput.self, from: Data(outcome.stdout.utf8))
                        #expect(output.validationCode == "VALID")
                        return output.txID
                    }
                }
                for try await txID in group { txIDs.append(txID) }
            }
        }
        // 180 through the library, 12 in flight.
        try await withThrowingTaskGroup(of: SubmitResult.self) { group in
            for index in 0..<180 {
                if index >= 12, let done = try await group.next() { txIDs.append(done.txID); #expect(done.code == .valid) }
                group.addTask {
                    try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                             arguments: ["lib\(index)", "red", "3", "bob", "100"].map { Array($0.utf8) })
                }
            }
            for try await done in group { txIDs.append(done.txID); #expect(done.code == .valid) }
        }
        #expect(Set(txIDs).count == 200)

        // Every peer has every transaction, valid, and the same blocks and commit hashes.
        let profile = try network.profile()
        let heights = try await waitForEqualHeights(gateway, profile)
        for peer in profile.peers {
            for txID in txIDs {
                guard case .transaction(let record?) = try await gateway.query(.transaction(txID), peer: peer.name) else {
                    Issue.record("\(peer.name) lacks \(txID)")
                    continue
                }
                #expect(record.status.validationCode == .valid)
            }
        }
        for number in 0..<heights {
            var hashes: Set<[UInt8]> = []
            for peer in profile.peers {
                guard case .block(let block?) = try await gateway.query(.block(number), peer: peer.name) else { continue }
                hashes.insert(block.header.hash + block.metadata.commitHash)
            }
            #expect(hashes.count == 1, "peers disagree on block \(number)")
        }
        let status = try await WeftProcess.run(["network", "status", "--dir", network.dir, "--json"])
        #expect(status.status == 0 && status.stdout.contains(#""fork":false"#), "\(status.stdout)\(status.stderr)")
    }
}

/// Waits until every peer reports the same height; returns it.
func waitForEqualHeights(_ gateway: Gateway, _ profile: ConnectionProfile, timeout: Duration = .seconds(30)) async throws -> UInt64 {
    let deadline = ContinuousClock.now + timeout
    while true {
        var heights: [UInt64] = []
        for peer in profile.peers {
            if case .info(let info) = try await gateway.query(.info, peer: peer.name) { heights.append(info.height) }
        }
        if let first = heights.first, heights.count == profile.peers.count, heights.allSatisfy({ $0 == first }) { return first }
        guard ContinuousClock.now < deadline else { throw GatewayError.protocolError("peers stayed at different heights: \(heights)") }
        try await Task.sleep(for: .milliseconds(200))
    }
}
