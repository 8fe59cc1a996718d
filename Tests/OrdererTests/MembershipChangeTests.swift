import Foundation
@testable import Orderer
import Raft
import Testing
import WeftCore

/// Orderers added and removed while the cluster orders (docs/governance.md, "Adding and removing
/// orderers"): each node is told the configured voters, as the configuration watch tells it when an
/// update's block is written, and the leader changes Raft's membership one node at a time.
@Suite(.serialized) struct MembershipChangeTests {
    @Test func theNextStepAddsFirstThenRemovesOthersThenTheLeader() {
        #expect(OrderingNode.nextMembership(from: [1, 2, 3], toward: [1, 2, 3, 4], leader: 1) == [1, 2, 3, 4])
        #expect(OrderingNode.nextMembership(from: [1, 2, 3], toward: [2, 3, 4], leader: 1) == [1, 2, 3, 4])
        #expect(OrderingNode.nextMembership(from: [1, 2, 3, 4], toward: [2, 3, 4], leader: 2) == [2, 3, 4])
        // The leader's own removal is left to the next leader.
        #expect(OrderingNode.nextMembership(from: [1, 2, 3, 4], toward: [2, 3, 4], leader: 1) == nil)
        #expect(OrderingNode.nextMembership(from: [1, 2, 3], toward: [1, 2, 3], leader: 1) == nil)
    }

    /// A fourth node joins with the configured voters, catches up and counts; then the leader (node 1)
    /// is removed: it hands its leadership over within a few ticks — no election timeout, which is at
    /// least 10 — the new leader removes it, and the three left keep ordering with identical chains.
    @Test func aFourthOrdererJoinsAndTheLeaderIsRemovedWithoutAnElectionTimeout() async throws {
        try await TestCluster.run { cluster in
            await cluster.nodes[1]!.campaign()
            let (first, _) = try await cluster.electLeader()
            #expect(first == 1)
            try await FailoverTests.order(cluster, tags: 0..<20, to: 2)
            try await cluster.waitForHeight(2)

            try cluster.add(4, voters: [1, 2, 3, 4])
            try await cluster.reconfigure(voters: [1, 2, 3, 4])
            try await cluster.tick(until: "Raft's voters are 1, 2, 3, 4 on every node") {
                for id in cluster.liveIDs where await cluster.nodes[id]!.raftVoters != [1, 2, 3, 4] { return false }
                return true
            }
            try await cluster.waitForHeight(2)
            try await FailoverTests.order(cluster, tags: 20..<30, to: 4)
            try await cluster.waitForHeight(3)
            try FailoverTests.expectIdenticalChains(cluster)

            try await cluster.reconfigure(voters: [2, 3, 4])
            var ticks = 0
            try await cluster.tick(until: "a leader among 2, 3, 4 whose voters are 2, 3, 4") {
                ticks += 1
                guard let leader = await cluster.leaderAmong([2, 3, 4]) else { return false }
                return await cluster.nodes[leader]!.raftVoters == [2, 3, 4]
            }
            #expect(ticks < 10, "the leadership moved in \(ticks) ticks; an election timeout is 10 to 20")
            let removed = await cluster.broadcast(try cluster.envelopes.envelope(tag: 99), to: 1)
            #expect(removed.status == .serviceUnavailable)
            #expect(removed.message.contains("no longer a consenter"), "\(removed)")
            try await FailoverTests.order(cluster, tags: 30..<40, to: 2)
            // The removed node no longer campaigns: nobody's term moves on, though it still runs.
            let terms = await cluster.terms()
            await cluster.tick(40)
            #expect(await cluster.terms() == terms)
            #expect(await cluster.nodes[1]!.status().role == .follower)
            await cluster.kill(1)
            try await cluster.waitForHeight(4)
            try FailoverTests.expectIdenticalChains(cluster)
        }
    }
}

extension TestCluster {
    /// The node among `candidates` that leads, as every live one of them sees it.
    func leaderAmong(_ candidates: [NodeID]) async -> NodeID? {
        for id in candidates where nodes[id] != nil {
            let status = await nodes[id]!.status()
            if status.role == .leader { return id }
        }
        return nil
    }

    /// Every live node's term.
    func terms() async -> [NodeID: UInt64] {
        var terms: [NodeID: UInt64] = [:]
        for id in liveIDs { terms[id] = await nodes[id]!.status().term }
        return terms
    }
}
