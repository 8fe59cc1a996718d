import Raft
import Testing

/// Golden transcripts of leader election: every message delivered and every role change, in order.
@Suite struct ElectionTranscriptTests {
    @Test func electionWithPreVoteThenReplication() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3])
        cluster.campaign(1)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[1] pre-candidate term 0",
            "1→2 t1 preVote last 0@0",
            "1→3 t1 preVote last 0@0",
            "2→1 t1 preVote granted",
            "[1] candidate term 1",
            "3→1 t1 preVote granted",
            "1→2 t1 vote last 0@0",
            "[2] follower term 1",
            "1→3 t1 vote last 0@0",
            "[3] follower term 1",
            "2→1 t1 vote granted",
            "[1] leader term 1",
            "3→1 t1 vote granted",
            "1→2 t1 append prev 0@0 [1@1:noop] commit 0",
            "[2] follower term 1 leader 1",
            "1→3 t1 append prev 0@0 [1@1:noop] commit 0",
            "[3] follower term 1 leader 1",
            "2→1 t1 accepted 1",
            "3→1 t1 accepted 1",
            "1→2 t1 append prev 1@1 [] commit 1",
            "1→3 t1 append prev 1@1 [] commit 1",
            "2→1 t1 accepted 1",
            "3→1 t1 accepted 1",
        ])
        try cluster.propose(1, "a")
        cluster.deliverAll()
        cluster.tick(1)
        cluster.deliverAll()
        cluster.expectTranscript([
            "1→2 t1 append prev 1@1 [2@1:1B] commit 1",
            "1→3 t1 append prev 1@1 [2@1:1B] commit 1",
            "2→1 t1 accepted 2",
            "3→1 t1 accepted 2",
            "1→2 t1 append prev 2@1 [] commit 2",
            "1→3 t1 append prev 2@1 [] commit 2",
            "2→1 t1 accepted 2",
            "3→1 t1 accepted 2",
            "1→2 t1 heartbeat commit 2",
            "1→3 t1 heartbeat commit 2",
            "2→1 t1 heartbeat ok",
            "3→1 t1 heartbeat ok",
        ])
        for id in cluster.ids {
            #expect(cluster.status(id).commitIndex == 2)
            #expect(cluster.applied[id]!.map(\.data) == [[], Array("a".utf8)])
        }
    }

    /// Without pre-vote, two candidates split a 4-node cluster's votes 2–2; randomized timeouts break the tie.
    @Test func splitVoteIsResolvedByRandomizedTimeouts() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3, 4]) {
            $0.preVote = false
            $0.checkQuorum = false
        }
        cluster.cut(from: 1, to: 4)
        cluster.cut(from: 2, to: 3)
        cluster.campaign(1)
        cluster.campaign(2)
        cluster.deliverAll()
        cluster.heal()
        cluster.expectTranscript([
            "[1] candidate term 1",
            "[2] candidate term 1",
            "1→2 t1 vote last 0@0",
            "1→3 t1 vote last 0@0",
            "[3] follower term 1",
            "✗ 1→4 t1 vote last 0@0",
            "2→1 t1 vote last 0@0",
            "✗ 2→3 t1 vote last 0@0",
            "2→4 t1 vote last 0@0",
            "[4] follower term 1",
            "2→1 t1 vote rejected",
            "3→1 t1 vote granted",
            "1→2 t1 vote rejected",
            "4→2 t1 vote granted",
        ])
        #expect(cluster.status(1).role == .candidate)
        #expect(cluster.status(2).role == .candidate)
        var rounds = 0
        while !cluster.ids.contains(where: { cluster.status($0).role == .leader }) && rounds < 100 {
            for id in cluster.ids { cluster.tick(id) }
            cluster.deliverAll()
            rounds += 1
        }
        _ = cluster.takeTranscript()
        let leaders = cluster.ids.filter { cluster.status($0).role == .leader }
        // Timeouts drawn from each node's seeded generator: the same winner on every run.
        #expect(leaders == [3])
        #expect(cluster.status(3).term == 3)
        #expect(rounds == 27)
    }

    /// A node that missed entries cannot win, and thanks to pre-vote its failed campaign does not raise
    /// anyone's term.
    @Test func candidateWithStaleLogIsRefusedWithoutRaisingTerms() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3]) { $0.checkQuorum = false }
        cluster.campaign(1)
        cluster.deliverAll()
        cluster.isolate(3)
        try cluster.propose(1, "a")
        cluster.deliverAll()
        cluster.heal()
        _ = cluster.takeTranscript()
        cluster.campaign(3)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[3] pre-candidate term 1",
            "3→1 t2 preVote last 1@1",
            "3→2 t2 preVote last 1@1",
            "1→3 t1 preVote rejected",
            "2→3 t1 preVote rejected",
            "[3] follower term 1",
        ])
        #expect(cluster.ids.map { cluster.status($0).term } == [1, 1, 1])
        #expect(cluster.status(1).role == .leader)
    }

    /// With check-quorum, followers that hear from their leader ignore pre-votes (leader lease), and a
    /// leader cut off from the quorum steps down after an election timeout.
    @Test func leaderLeaseAndCheckQuorum() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3])
        cluster.campaign(1)
        cluster.deliverAll()
        _ = cluster.takeTranscript()
        cluster.campaign(3)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[3] pre-candidate term 1",
            "3→1 t2 preVote last 1@1",
            "3→2 t2 preVote last 1@1",
        ])
        // The acknowledgements of the election count as activity for the first check; the second one fails.
        cluster.isolate(1)
        for _ in 0..<19 {
            cluster.tick(1)
            cluster.dropQueued()
        }
        #expect(cluster.status(1).role == .leader)
        cluster.tick(1)
        cluster.expectTranscript(["[1] follower term 1"])
    }

    @Test func votesSurviveARestartFromStorage() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3]) {
            $0.preVote = false
            $0.checkQuorum = false
        }
        cluster.cut(from: 2, to: 3)
        cluster.campaign(2)
        cluster.deliver(2)
        cluster.isolate(2)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[2] candidate term 1",
            "2→1 t1 vote last 0@0",
            "[1] follower term 1",
            "✗ 2→3 t1 vote last 0@0",
            "✗ 1→2 t1 vote granted",
        ])
        try cluster.restart(1)
        #expect(cluster.status(1).vote == 2)
        #expect(cluster.status(1).term == 1)
        // Node 3 asks for node 1's vote in term 1, with a log as up to date as node 1's: only the
        // persisted vote for node 2 stands in the way.
        cluster.campaign(3)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[1] restarts",
            "[3] candidate term 1",
            "3→1 t1 vote last 0@0",
            "✗ 3→2 t1 vote last 0@0",
            "1→3 t1 vote rejected",
        ])
    }

    @Test func followersRefuseProposalsAndNameTheLeader() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3])
        #expect(throws: RaftError.notLeader(leader: nil)) { try cluster.propose(2, "x") }
        cluster.campaign(1)
        cluster.deliverAll()
        #expect(throws: RaftError.notLeader(leader: 1)) { try cluster.propose(2, "x") }
        #expect(throws: RaftError.proposalRejected("an entry's data is empty")) { try cluster.propose(1, "") }
    }
}
