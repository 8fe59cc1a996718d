import Raft
import Testing

/// Golden transcripts of log compaction and of a follower catching up from the leader's snapshot.
@Suite struct SnapshotTranscriptTests {
    @Test func followerBehindTheCompactedLogInstallsTheLeadersSnapshot() throws {
        var cluster = try TranscriptCluster(ids: [1, 2, 3])
        cluster.campaign(1)
        cluster.deliverAll()
        cluster.isolate(3)
        for text in ["a", "b", "c"] { try cluster.propose(1, text) }
        cluster.deliverAll()
        try cluster.compact(1)
        #expect(cluster.status(1).snapshotIndex == 4)
        #expect(cluster.status(1).firstIndex == 5)
        _ = cluster.takeTranscript()
        cluster.heal()
        cluster.tick(1)
        cluster.deliverAll()
        // Node 3 answers the heartbeat; the leader probes, learns node 3 stops at index 1, finds entry 2
        // compacted away, and sends its snapshot instead.
        cluster.expectTranscript([
            "1→2 t1 heartbeat commit 4",
            "1→3 t1 heartbeat commit 1",
            "2→1 t1 heartbeat ok",
            "3→1 t1 heartbeat ok",
            "1→3 t1 append prev 4@1 [] commit 4",
            "3→1 t1 rejected 4 hint 1@1",
            "1→3 t1 install snapshot 4@1 3B",
            "[3] restores snapshot 4@1 3B",
            "3→1 t1 accepted 4",
            "1→3 t1 append prev 4@1 [] commit 4",
            "3→1 t1 accepted 4",
        ])
        try cluster.propose(1, "d")
        cluster.deliverAll()
        cluster.expectTranscript([
            "1→2 t1 append prev 4@1 [5@1:1B] commit 4",
            "1→3 t1 append prev 4@1 [5@1:1B] commit 4",
            "2→1 t1 accepted 5",
            "3→1 t1 accepted 5",
            "1→2 t1 append prev 5@1 [] commit 5",
            "1→3 t1 append prev 5@1 [] commit 5",
            "2→1 t1 accepted 5",
            "3→1 t1 accepted 5",
        ])
        #expect(cluster.status(3).snapshotIndex == 4)
        #expect(cluster.status(3).commitIndex == 5)
        #expect(cluster.applied[3]!.map(\.index) == [5])
        let stored = try cluster.storages[3]!.load()
        #expect(stored.snapshot?.index == 4)
        #expect(stored.entries.map(\.index) == [5])
    }

    @Test func compactionRefusesIndicesItCannotCover() throws {
        var cluster = try TranscriptCluster(ids: [1])
        cluster.campaign(1)
        try cluster.propose(1, "a")
        var node = cluster.node(1)
        #expect(node.status.appliedIndex == 2)
        #expect(throws: RaftError.invalidCompaction("index 3 has not been applied yet (applied: 2)")) {
            try node.compact(through: 3, data: [])
        }
        _ = try node.compact(through: 2, data: [1])
        #expect(throws: RaftError.invalidCompaction("index 2 is not after the latest snapshot at 2")) {
            try node.compact(through: 2, data: [])
        }
    }

    /// A node that crashed after persisting a received snapshot but before its application restored it
    /// hands the snapshot out again on restart.
    @Test func restartBeforeTheApplicationRestoredHandsTheSnapshotOutAgain() throws {
        let snapshot = Snapshot(metadata: SnapshotMetadata(index: 5, term: 2, voters: [1, 2, 3]), data: [42])
        let state = PersistedState(
            hardState: HardState(term: 2, vote: nil, commit: 5), snapshot: snapshot,
            entries: [Entry(term: 2, index: 6, data: [6])])
        var node = try RaftNode(
            configuration: RaftConfiguration(id: 1, voters: [1, 2, 3]), restoring: state, applied: 3,
            random: SplitMix64(seed: 1))
        let handedOut = node.ready()
        let ready = try #require(handedOut)
        #expect(ready.snapshot == snapshot)
        #expect(ready.committedEntries.isEmpty)
        node.advance(ready)
        #expect(node.status.appliedIndex == 5)
        #expect(!node.hasReady)
    }
}
