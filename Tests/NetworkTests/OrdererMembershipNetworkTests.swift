import Foundation
import Testing
import WeftClient
import WeftCore

/// Orderers added and removed on a running network of real processes, under load (docs/governance.md,
/// "Adding and removing orderers"): `weft network add-orderer`, then `weft network remove-orderer` of
/// the Raft leader. Ordering never stops for more than 2 s, no transaction is acknowledged and lost,
/// and the remaining orderers and every peer agree.
@Suite(.serialized) struct OrdererMembershipNetworkTests {
    @Test func aFourthOrdererIsAddedAndTheLeaderRemovedUnderLoadAndOrderingNeverPausesOver2Seconds() async throws {
        try await LocalNetworkFixture.with { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            let load = SubmitLoad(gateway, workers: 4, prefix: "m", pause: .milliseconds(40))
            let commits = load.commits
            try await waitUntil("load runs") { await commits.count >= 20 }
            let start = ContinuousClock.now

            let added = try await WeftProcess.run(["network", "add-orderer", "--dir", network.dir, "--json"], timeout: .seconds(120))
            #expect(added.status == 0, "\(added.stderr)")
            let addition = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any], "\(added.stderr)")
            let newOrderer = try #require(addition["orderer"] as? String)

            var leader = ""
            for orderer in try network.profile().orderers where leader.isEmpty {
                if let status = try? await gateway.ordererStatus(orderer.name), status.isLeader { leader = orderer.name }
            }
            #expect(!leader.isEmpty && leader != newOrderer)
            let removed = try await WeftProcess.run(["network", "remove-orderer", "--dir", network.dir, "--name", leader, "--json"], timeout: .seconds(120))
            #expect(removed.status == 0, "\(removed.stderr)")

            let before = await commits.count
            try await waitUntil("commits after the removal") { await commits.count >= before + 20 }
            let end = ContinuousClock.now
            await load.stop()
            let pause = await commits.longestPause(from: start, to: end)
            #expect(pause < .seconds(2), "ordering paused for \(pause)\n\(network.logLines(containing: ["membership", "consenter", "leader", "error"]))")
            let failures = await commits.failures
            #expect(failures.isEmpty, "failed submits: \(failures.prefix(3))")

            // The three orderers left (the new one among them) and both peers agree; nothing acknowledged is lost.
            let profile = try network.profile()
            #expect(profile.orderers.map(\.name).contains(newOrderer))
            #expect(!profile.orderers.map(\.name).contains(leader))
            let everyone = try network.gateway()
            defer { Task { await everyone.close() } }
            let height = try await waitForEqualHeights(everyone, profile)
            try await waitUntil("every orderer at the peers' height") {
                for orderer in profile.orderers {
                    guard let status = try? await everyone.ordererStatus(orderer.name), status.height >= height else { return false }
                }
                return true
            }
            for txID in await commits.txIDs {
                guard case .transaction(let record?) = try await everyone.query(.transaction(txID), peer: profile.peers[0].name) else {
                    Issue.record("\(txID) is not in the ledger")
                    continue
                }
                #expect(record.status.validationCode == .valid)
            }
        }
    }
}
