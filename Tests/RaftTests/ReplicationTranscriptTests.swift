import Raft
import Testing

/// Golden transcripts of log replication: a stale leader stepping down, conflicting logs repaired
/// (the Raft paper's figure 7), and the commit rule of figure 8.
@Suite struct ReplicationTranscriptTests {
    /// A leader cut off by a partition keeps appending in its old term; when the partition heals it
    /// learns of the newer term, steps down, and its uncommitted entry is overwritten.
    @Test func staleLeaderStepsDownAndLosesItsUncommittedEntry() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3]) { $0.checkQuorum = false }
        cluster.campaign(1)
        cluster.deliverAll()
        _ = cluster.takeTranscript()
        cluster.isolate(1)
        try cluster.propose(1, "x")
        cluster.deliverAll()
        cluster.campaign(2)
        cluster.deliverAll()
        try cluster.propose(2, "b")
        cluster.deliverAll()
        cluster.expectTranscript([
            "✗ 1→2 t1 append prev 1@1 [2@1:1B] commit 1",
            "✗ 1→3 t1 append prev 1@1 [2@1:1B] commit 1",
            "[2] pre-candidate term 1",
            "✗ 2→1 t2 preVote last 1@1",
            "2→3 t2 preVote last 1@1",
            "3→2 t2 preVote granted",
            "[2] candidate term 2",
            "✗ 2→1 t2 vote last 1@1",
            "2→3 t2 vote last 1@1",
            "[3] follower term 2",
            "3→2 t2 vote granted",
            "[2] leader term 2",
            "✗ 2→1 t2 append prev 1@1 [2@2:noop] commit 1",
            "2→3 t2 append prev 1@1 [2@2:noop] commit 1",
            "[3] follower term 2 leader 2",
            "3→2 t2 accepted 2",
            "2→3 t2 append prev 2@2 [] commit 2",
            "3→2 t2 accepted 2",
            "2→3 t2 append prev 2@2 [3@2:1B] commit 2",
            "3→2 t2 accepted 3",
            "2→3 t2 append prev 3@2 [] commit 3",
            "3→2 t2 accepted 3",
        ])
        cluster.heal()
        cluster.tick(1)
        cluster.deliverAll()
        cluster.tick(2)
        cluster.deliverAll()
        // Node 1 learns of term 2 from the answers to its heartbeats; node 2 then overwrites entry 2 ("x").
        cluster.expectTranscript([
            "1→2 t1 heartbeat commit 1",
            "1→3 t1 heartbeat commit 1",
            "2→1 t2 heartbeat ok",
            "[1] follower term 2",
            "3→1 t2 heartbeat ok",
            "2→1 t2 heartbeat commit 0",
            "[1] follower term 2 leader 2",
            "2→3 t2 heartbeat commit 3",
            "1→2 t2 heartbeat ok",
            "3→2 t2 heartbeat ok",
            "2→1 t2 append prev 1@1 [2@2:noop 3@2:1B] commit 3",
            "1→2 t2 accepted 3",
            "2→1 t2 append prev 3@2 [] commit 3",
            "1→2 t2 accepted 3",
        ])
        for id in cluster.ids {
            #expect(cluster.logTerms(id) == [1, 2, 2])
            #expect(cluster.applied[id]!.map { String(decoding: $0.data, as: UTF8.self) } == ["", "", "b"])
        }
    }

    /// The leader's log of figure 7; followers (a)–(f) as in the paper. The leader is elected in term 8
    /// (followers (c) and (d) refuse it, the others and a copy of the leader's log elect it).
    static let figure7Leader: [UInt64] = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6]
    static let figure7Followers: [String: [UInt64]] = [
        "a": [1, 1, 1, 4, 4, 5, 5, 6, 6],
        "b": [1, 1, 1, 4],
        "c": [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
        "d": [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
        "e": [1, 1, 1, 4, 4, 4, 4],
        "f": [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
    ]

    /// Leader 1, a copy of its log on node 2, and a figure-7 follower on node 3.
    static func figure7Cluster(follower: String) throws -> TranscriptCluster {
        try TranscriptCluster(ids: [1, 2, 3], states: [
            1: LogBuilder.state(terms: figure7Leader, term: 7, commit: 3),
            2: LogBuilder.state(terms: figure7Leader, term: 7, commit: 3),
            3: LogBuilder.state(terms: figure7Followers[follower]!, term: 7, commit: 3),
        ])
    }

    /// Follower (f) has entries of terms 2 and 3 that no leader committed. One rejection carries a hint
    /// (its entry 10 has term 3) that lets the leader skip back to index 3 at once.
    @Test func figure7FollowerFIsRepairedWithOneBacktrack() throws {
        var cluster = try Self.figure7Cluster(follower: "f")
        cluster.campaign(1)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[1] pre-candidate term 7",
            "1→2 t8 preVote last 10@6",
            "1→3 t8 preVote last 10@6",
            "2→1 t8 preVote granted",
            "[1] candidate term 8",
            "3→1 t8 preVote granted",
            "1→2 t8 vote last 10@6",
            "[2] follower term 8",
            "1→3 t8 vote last 10@6",
            "[3] follower term 8",
            "2→1 t8 vote granted",
            "[1] leader term 8",
            "3→1 t8 vote granted",
            "1→2 t8 append prev 10@6 [11@8:noop] commit 3",
            "[2] follower term 8 leader 1",
            "1→3 t8 append prev 10@6 [11@8:noop] commit 3",
            "[3] follower term 8 leader 1",
            "2→1 t8 accepted 11",
            "3→1 t8 rejected 10 hint 10@3",
            "1→2 t8 append prev 11@8 [] commit 11",
            "1→3 t8 append prev 3@1 [4@4:2B 5@4:2B 6@5:2B 7@5:2B 8@6:2B 9@6:2B 10@6:3B 11@8:noop] commit 11",
            "2→1 t8 accepted 11",
            "3→1 t8 accepted 11",
            "1→3 t8 append prev 11@8 [] commit 11",
            "3→1 t8 accepted 11",
        ])
        #expect(cluster.logTerms(3) == Self.figure7Leader + [8])
    }

    /// Follower (e) holds extra entries of term 4 past the leader's entries of term 4.
    @Test func figure7FollowerEIsRepaired() throws {
        var cluster = try Self.figure7Cluster(follower: "e")
        cluster.campaign(1)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[1] pre-candidate term 7",
            "1→2 t8 preVote last 10@6",
            "1→3 t8 preVote last 10@6",
            "2→1 t8 preVote granted",
            "[1] candidate term 8",
            "3→1 t8 preVote granted",
            "1→2 t8 vote last 10@6",
            "[2] follower term 8",
            "1→3 t8 vote last 10@6",
            "[3] follower term 8",
            "2→1 t8 vote granted",
            "[1] leader term 8",
            "3→1 t8 vote granted",
            "1→2 t8 append prev 10@6 [11@8:noop] commit 3",
            "[2] follower term 8 leader 1",
            "1→3 t8 append prev 10@6 [11@8:noop] commit 3",
            "[3] follower term 8 leader 1",
            "2→1 t8 accepted 11",
            "3→1 t8 rejected 10 hint 7@4",
            "1→2 t8 append prev 11@8 [] commit 11",
            "1→3 t8 append prev 5@4 [6@5:2B 7@5:2B 8@6:2B 9@6:2B 10@6:3B 11@8:noop] commit 11",
            "2→1 t8 accepted 11",
            "3→1 t8 accepted 11",
            "1→3 t8 append prev 11@8 [] commit 11",
            "3→1 t8 accepted 11",
        ])
        #expect(cluster.logTerms(3) == Self.figure7Leader + [8])
    }

    @Test(arguments: ["a", "b", "c", "d", "e", "f"])
    func everyFigure7FollowerEndsWithTheLeadersLog(follower: String) throws {
        var cluster = try Self.figure7Cluster(follower: follower)
        cluster.campaign(1)
        cluster.deliverAll()
        #expect(cluster.status(1).role == .leader)
        #expect(cluster.status(1).term == 8)
        #expect(cluster.logTerms(3) == Self.figure7Leader + [8])
        #expect(cluster.status(3).commitIndex == 11)
    }

    /// Figure 8 (a)–(c) in three nodes: node 1 leads term 4 with entry 2 of term 2; node 3 holds a
    /// different entry 2 of term 3 and is cut off from node 1. Appends carry one entry each.
    static func figure8StateC() throws -> TranscriptCluster {
        var cluster = try TranscriptCluster(ids: [1, 2, 3], states: [
            1: LogBuilder.state(terms: [1, 2], term: 3, commit: 1),
            2: LogBuilder.state(terms: [1], term: 3, commit: 1),
            3: LogBuilder.state(terms: [1, 3], term: 3, commit: 1),
        ]) {
            $0.checkQuorum = false
            $0.maxBytesPerAppend = 1
        }
        cluster.cut(from: 1, to: 3)
        cluster.cut(from: 3, to: 1)
        cluster.campaign(1)
        // Deliver until node 2 acknowledges entry 2 (of term 2), but not yet entry 3 (the no-op of term 4).
        while !cluster.transcript.contains("2→1 t4 accepted 2") { cluster.deliverNext() }
        return cluster
    }

    /// A quorum (nodes 1 and 2) holds entry 2, but it is from term 2: leader 1 must not commit it
    /// (figure 8 (c)). Indeed node 3 can still be elected and replace it (figure 8 (d)).
    @Test func figure8EntryOfAnOlderTermIsNotCommittedByCounting() throws {
        var cluster = try Self.figure8StateC()
        cluster.expectTranscript([
            "[1] pre-candidate term 3",
            "1→2 t4 preVote last 2@2",
            "✗ 1→3 t4 preVote last 2@2",
            "2→1 t4 preVote granted",
            "[1] candidate term 4",
            "1→2 t4 vote last 2@2",
            "[2] follower term 4",
            "✗ 1→3 t4 vote last 2@2",
            "2→1 t4 vote granted",
            "[1] leader term 4",
            "1→2 t4 append prev 2@2 [3@4:noop] commit 1",
            "[2] follower term 4 leader 1",
            "✗ 1→3 t4 append prev 2@2 [3@4:noop] commit 1",
            "2→1 t4 rejected 2 hint 1@1",
            "1→2 t4 append prev 1@1 [2@2:2B] commit 1",
            "2→1 t4 accepted 2",
        ])
        #expect(cluster.status(1).commitIndex == 1)
        cluster.dropQueued()
        cluster.heal()
        cluster.isolate(1)
        // Node 3's first pre-vote only teaches it term 4; its second campaign wins term 5.
        cluster.campaign(3)
        cluster.deliverAll()
        cluster.campaign(3)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[3] pre-candidate term 3",
            "✗ 3→1 t4 preVote last 2@3",
            "3→2 t4 preVote last 2@3",
            "2→3 t4 preVote rejected",
            "[3] follower term 4",
            "[3] pre-candidate term 4",
            "✗ 3→1 t5 preVote last 2@3",
            "3→2 t5 preVote last 2@3",
            "2→3 t5 preVote granted",
            "[3] candidate term 5",
            "✗ 3→1 t5 vote last 2@3",
            "3→2 t5 vote last 2@3",
            "[2] follower term 5",
            "2→3 t5 vote granted",
            "[3] leader term 5",
            "✗ 3→1 t5 append prev 2@3 [3@5:noop] commit 1",
            "3→2 t5 append prev 2@3 [3@5:noop] commit 1",
            "[2] follower term 5 leader 3",
            "2→3 t5 rejected 2 hint 2@2",
            "3→2 t5 append prev 1@1 [2@3:2B] commit 1",
            "2→3 t5 accepted 2",
            "3→2 t5 append prev 2@3 [3@5:noop] commit 1",
            "2→3 t5 accepted 3",
            "3→2 t5 append prev 3@5 [] commit 3",
            "2→3 t5 accepted 3",
        ])
        #expect(cluster.logTerms(2) == [1, 3, 5])
        #expect(cluster.status(2).commitIndex == 3)
    }

    /// Once node 2 also holds the leader's entry of term 4, both entries commit together (figure 8 (e)),
    /// and node 3 can no longer win an election.
    @Test func figure8EntryOfAnOlderTermCommitsThroughTheCurrentTerm() throws {
        var cluster = try Self.figure8StateC()
        _ = cluster.takeTranscript()
        cluster.deliverAll()
        cluster.expectTranscript([
            "1→2 t4 append prev 2@2 [3@4:noop] commit 1",
            "2→1 t4 accepted 3",
            "1→2 t4 append prev 3@4 [] commit 3",
            "2→1 t4 accepted 3",
        ])
        #expect(cluster.status(1).commitIndex == 3)
        cluster.heal()
        cluster.isolate(1)
        cluster.campaign(3)
        cluster.deliverAll()
        cluster.campaign(3)
        cluster.deliverAll()
        cluster.expectTranscript([
            "[3] pre-candidate term 3",
            "✗ 3→1 t4 preVote last 2@3",
            "3→2 t4 preVote last 2@3",
            "2→3 t4 preVote rejected",
            "[3] follower term 4",
            "[3] pre-candidate term 4",
            "✗ 3→1 t5 preVote last 2@3",
            "3→2 t5 preVote last 2@3",
            "2→3 t4 preVote rejected",
        ])
        // Node 2's log (ending 3@4) is more up to date than node 3's (2@3): no pre-vote, no new term.
        #expect(cluster.status(3).role == .preCandidate)
        #expect(cluster.status(2).term == 4)
        #expect(cluster.logTerms(2) == [1, 2, 4])
    }
}
