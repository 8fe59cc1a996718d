import Raft
import Testing

/// Single-server membership changes: a voter added catches up and counts for the quorum, a leader that
/// removes itself steps down once the change commits, and changes that could split the cluster (two at
/// once, several nodes at once, before the leader committed in its term) are refused.
@Suite struct MembershipTranscriptTests {
    /// A 3-node cluster whose node 1 leads and committed "a".
    func leading() throws -> TranscriptCluster {
        var cluster = try TranscriptCluster(ids: [1, 2, 3])
        cluster.campaign(1)
        cluster.deliverAll()
        try cluster.propose(1, "a")
        cluster.deliverAll()
        return cluster
    }

    @Test func anAddedVoterCatchesUpAndCountsForTheQuorum() throws {
        var cluster = try leading()
        try cluster.addNode(4, voters: [1, 2, 3, 4])
        let index = try cluster.proposeMembership(1, [1, 2, 3, 4])
        // One change at a time: the next waits until this one commits.
        #expect(throws: RaftError.self) { try cluster.proposeMembership(1, [1, 2, 3, 4, 5]) }
        cluster.deliverAll()
        #expect(cluster.node(1).configuration.voters == [1, 2, 3, 4])
        #expect(cluster.status(1).commitIndex >= index)
        #expect(cluster.status(4).commitIndex == cluster.status(1).commitIndex)
        #expect(cluster.applied[4]!.contains { $0.data == Array("a".utf8) })
        #expect(cluster.node(2).configuration.voters == [1, 2, 3, 4])

        // Four voters: the leader and one follower are no quorum; three are.
        cluster.isolate(2)
        cluster.isolate(3)
        let blocked = try cluster.propose(1, "b")
        cluster.deliverAll()
        #expect(cluster.status(1).commitIndex < blocked)
        cluster.heal()
        cluster.tick(1)
        cluster.deliverAll()
        #expect(cluster.status(1).commitIndex >= blocked)

        // A restarted member reads the voters from its log.
        try cluster.restart(2)
        #expect(cluster.node(2).configuration.voters == [1, 2, 3, 4])
    }

    @Test func aLeaderThatRemovesItselfStepsDownOnceTheChangeCommits() throws {
        var cluster = try leading()
        try cluster.proposeMembership(1, [2, 3])
        cluster.deliverAll()
        #expect(cluster.node(2).configuration.voters == [2, 3])
        cluster.tick(1)
        #expect(cluster.status(1).role == .follower)
        // The removed node no longer campaigns; the remaining two elect a leader and commit alone.
        cluster.campaign(1)
        #expect(cluster.status(1).role == .follower)
        // Once their lease from the old leader ran out (an election timeout), one of them wins.
        cluster.isolate(1)
        for _ in 0..<40 where cluster.status(2).role != .leader && cluster.status(3).role != .leader {
            cluster.tick(2)
            cluster.tick(3)
            cluster.deliverAll()
        }
        let leader: NodeID = cluster.status(2).role == .leader ? 2 : 3
        #expect(cluster.status(leader).role == .leader)
        let index = try cluster.propose(leader, "c")
        cluster.deliverAll()
        #expect(cluster.status(leader).commitIndex >= index)
        #expect(cluster.status(leader == 2 ? 3 : 2).commitIndex >= index)
    }

    @Test func changesThatCouldSplitTheClusterAreRefused() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3])
        cluster.campaign(1)
        // Elected, but its no-op is not committed yet.
        cluster.deliver(4)
        if cluster.status(1).role == .leader, cluster.status(1).commitIndex == 0 {
            #expect(throws: RaftError.self) { try cluster.proposeMembership(1, [1, 2, 3, 4]) }
        }
        cluster.deliverAll()
        #expect(throws: RaftError.self) { try cluster.proposeMembership(1, [1, 2, 3, 4, 5]) }
        #expect(throws: RaftError.self) { try cluster.proposeMembership(1, [1, 4]) }
        #expect(throws: RaftError.self) { try cluster.proposeMembership(1, [1, 2, 3]) }
        #expect(throws: RaftError.self) { try cluster.proposeMembership(2, [1, 2]) }
    }
}
