import Foundation
import Ledger
import Testing
import WeftClient
import WeftCore

/// Crash the Raft leader and a peer with SIGKILL under load: a new leader is elected in a later term and
/// ordering resumes, the killed nodes restart and catch up, and no acknowledged transaction is lost or
/// doubled. How fast a leader takes over is a property of Raft's ticks, checked on a fake clock
/// (`FailoverTests`); here, under load on a shared machine, only a hang is bounded.
@Suite(.serialized, .timeLimit(.minutes(5))) struct NetworkFailoverTests {
    @Test func leaderAndPeerKilledMidLoadLoseNothing() async throws {
        try await LocalNetworkFixture.with(peers: 2) { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            let profile = try network.profile()
            let load = SubmitLoad(gateway, workers: 4, prefix: "w", pause: .zero, timeout: .seconds(15))
            let acknowledged = load.commits
            try await waitUntil("20 transactions commit") { await acknowledged.count >= 20 }

            // Kill the leader: the survivors elect another in a later term, and ordering resumes.
            let leader = try await currentLeader(gateway, profile)
            let leaderName = profile.orderers[Int(leader) - 1].name
            let termBefore = try await gateway.ordererStatus(leaderName).term
            kill(try #require(try network.pid(of: leaderName)), SIGKILL)
            let killedAt = ContinuousClock.now
            var newTerm: UInt64 = 0
            try await waitUntil("a new leader") {
                for orderer in profile.orderers where orderer.name != leaderName {
                    if let status = try? await gateway.ordererStatus(orderer.name), status.isLeader {
                        newTerm = status.term
                        return true
                    }
                }
                return false
            }
            #expect(newTerm > termBefore, "the new leader's term \(newTerm) follows the dead leader's \(termBefore)")
            // Informational (the local network's election timeout is 0.6–1.2 s, docs/node-config.md).
            print("NetworkFailoverTests: a new leader \(ContinuousClock.now - killedAt) after the SIGKILL, term \(termBefore) → \(newTerm)")
            let beforeResume = await acknowledged.count
            try await waitUntil("ordering resumes") { await acknowledged.count >= beforeResume + 20 }

            // Restart it; it catches up.
            let up = try await WeftProcess.run(["network", "up", "--dir", network.dir])
            #expect(up.status == 0, "\(up.stderr)")
            try await waitUntil("the restarted orderer catches up") {
                guard let restarted = try? await gateway.ordererStatus(leaderName) else { return false }
                let others = try? await gateway.ordererStatus(profile.orderers.first { $0.name != leaderName }!.name)
                return restarted.height > 0 && restarted.height >= (others?.height ?? .max) - 1
            }

            // Kill the peer the gateway watches for commit events (its organization's first): endorsements
            // fail over to the organization's other peer, the commit-event stream to another peer; it
            // restarts and catches up.
            #expect(await gateway.commitStreamReopenings.count == 0)
            kill(try #require(try network.pid(of: "peer0.org1")), SIGKILL)
            let beforePeerRestart = await acknowledged.count
            try await waitUntil("commits continue without peer0.org1") { await acknowledged.count >= beforePeerRestart + 10 }
            #expect(await gateway.commitStreamReopenings.count >= 1)
            let upAgain = try await WeftProcess.run(["network", "up", "--dir", network.dir])
            #expect(upAgain.status == 0, "\(upAgain.stderr)")
            let afterRestart = await acknowledged.count
            try await waitUntil("more commits") { await acknowledged.count >= afterRestart + 10 }
            await load.stop()

            // Every acknowledged transaction is in every peer's ledger exactly once, as valid.
            let height = try await waitForEqualHeights(gateway, profile)
            let expected = await acknowledged.txIDs
            for peer in profile.peers {
                var seen: [String: Int] = [:]
                for number in 1..<height {   // block 0 is the channel's genesis block
                    guard case .block(let block?) = try await gateway.query(.block(number), peer: peer.name) else {
                        Issue.record("\(peer.name) lacks block \(number)")
                        continue
                    }
                    for (index, bytes) in block.data.enumerated() where block.metadata.validationFlags[index] == .valid {
                        let txID = try Envelope(canonicalBytes: bytes).transaction().signedProposal.proposal().header.txID
                        seen[txID, default: 0] += 1
                    }
                }
                let missing = expected.filter { seen[$0] == nil }
                let doubled = seen.filter { $0.value > 1 }
                #expect(missing.isEmpty, "\(peer.name) lacks \(missing.count) acknowledged transactions")
                #expect(doubled.isEmpty, "\(peer.name) has duplicates: \(doubled.keys.prefix(3))")
            }
        }
    }

    /// The Raft id of the leader as the orderers report it (asking all but `skipping`).
    func currentLeader(_ gateway: Gateway, _ profile: ConnectionProfile, skipping: String? = nil) async throws -> UInt64 {
        for orderer in profile.orderers where orderer.name != skipping {
            if let status = try? await gateway.ordererStatus(orderer.name), status.leader != 0 { return status.leader }
        }
        throw GatewayError.protocolError("no orderer knows a leader")
    }
}

/// Polls `condition` every 50 ms until it holds, or fails after `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw GatewayError.protocolError("timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
