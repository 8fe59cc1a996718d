import Raft
import Testing

/// Golden transcripts of leadership transfer.
@Suite struct LeaderTransferTranscriptTests {
    /// The target first receives what it misses, then `timeoutNow`; its election skips the pre-vote and
    /// the other follower's lease, and proposals are refused meanwhile.
    @Test func leaderHandsOverToAnUpToDateFollower() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3])
        cluster.campaign(1)
        cluster.deliverAll()
        cluster.cut(from: 1, to: 2)
        try cluster.propose(1, "a")
        cluster.deliverAll()
        cluster.heal()
        _ = cluster.takeTranscript()
        var leader = cluster.node(1)
        try leader.transferLeadership(to: 2)
        #expect(leader.transferTarget == 2)
        #expect(throws: RaftError.proposalRejected("leadership is being transferred to node 2")) {
            try leader.propose([1])
        }
        try cluster.transferLeadership(from: 1, to: 2)
        cluster.deliverAll()
        cluster.expectTranscript([
            "1→2 t1 append prev 2@1 [] commit 2",
            "2→1 t1 rejected 2 hint 1@1",
            "1→2 t1 append prev 1@1 [2@1:1B] commit 2",
            "2→1 t1 accepted 2",
            "1→2 t1 append prev 2@1 [] commit 2",
            "1→2 t1 timeout now",
            "[2] candidate term 2",
            "2→1 t1 accepted 2",
            "2→1 t2 vote last 2@1 (leader transfer)",
            "[1] follower term 2",
            "2→3 t2 vote last 2@1 (leader transfer)",
            "[3] follower term 2",
            "1→2 t2 vote granted",
            "[2] leader term 2",
            "3→2 t2 vote granted",
            "2→1 t2 append prev 2@1 [3@2:noop] commit 2",
            "[1] follower term 2 leader 2",
            "2→3 t2 append prev 2@1 [3@2:noop] commit 2",
            "[3] follower term 2 leader 2",
            "1→2 t2 accepted 3",
            "3→2 t2 accepted 3",
            "2→1 t2 append prev 3@2 [] commit 3",
            "2→3 t2 append prev 3@2 [] commit 3",
            "1→2 t2 accepted 3",
            "3→2 t2 accepted 3",
        ])
        #expect(cluster.status(2).role == .leader)
        #expect(cluster.status(2).term == 2)
        #expect(cluster.status(1).role == .follower)
    }
}
