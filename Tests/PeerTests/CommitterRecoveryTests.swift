import AssetTransfer
import CSQLite
import Committer
import PeerTestSupport
import Testing
import WeftCore

/// The committer as the node's block puller drives it (`submit`): a bad block from one source is
/// refused without stopping the peer, and a failed commit is retried until the cause is gone.
@Suite struct CommitterRecoveryTests {
    func envelope(_ harness: PeerHarness, _ id: String) throws -> [UInt8] {
        try harness.endorse(AssetTransfer.name, "CreateAsset", [id, "red", "1", "al", "1"])
    }

    @Test func blockSignedByANonOrdererIsRefusedAndGoodBlocksKeepCommitting() async throws {
        var harness = try PeerHarness()
        let committer = harness.peers[0].committer
        var rogue = TestBlockFormer(signer: harness.network.peers["Org1"]!)
        let forged = try rogue.block([try envelope(harness, "f1")])
        await #expect(throws: CommitterError.self) { try await committer.submit(forged) }

        let first = try harness.former.block([try envelope(harness, "g1")])
        var badSignature = try harness.former.block([try envelope(harness, "g2")])
        let second = badSignature
        badSignature.metadata.ordererSignatures[0].signature[8] ^= 0xff
        try await committer.submit(first)
        await #expect(throws: CommitterError.self) { try await committer.submit(badSignature) }
        try await committer.submit(second)
        try await committer.submit(try harness.former.block([try envelope(harness, "g3")]))
        await committer.waitUntil(height: 3)
        #expect(await committer.health == .healthy)
    }

    @Test func blockWhoseDataIsNotWhatTheOrdererSignedIsRefused() async throws {
        var harness = try PeerHarness()
        let committer = harness.peers[0].committer
        let good = try harness.former.block([try envelope(harness, "d1")])
        var tampered = good
        tampered.data = [try envelope(harness, "d2")]
        await #expect(throws: CommitterError.blockRefused(blockNumber: 0, reason: "its data is not what its header's data hash covers")) {
            try await committer.submit(tampered)
        }
        try await committer.submit(good)
        await committer.waitUntil(height: 1)
    }

    /// An orderer-signed block that does not link to the chain (a forked or lying source) is dropped
    /// with what was buffered after it; the next block is then wanted again before any later one.
    @Test func blockThatDoesNotLinkIsDroppedAndWantedAgain() async throws {
        var harness = try PeerHarness()
        var fork = harness.former
        let committer = harness.peers[0].committer
        try await committer.receive(try harness.former.block([try envelope(harness, "l0")]))
        _ = try fork.block([try envelope(harness, "other")])
        let forked = try fork.block([try envelope(harness, "l1")])
        let good1 = try harness.former.block([try envelope(harness, "l1")])
        let good2 = try harness.former.block([try envelope(harness, "l2")])
        await #expect(throws: CommitterError.self) { try await committer.receive(forked) }
        await #expect(throws: CommitterError.self, "block 1 must come again first") { try await committer.receive(good2) }
        #expect(try await committer.receive(good1).map(\.blockNumber) == [1])
        #expect(try await committer.receive(good2).map(\.blockNumber) == [2])
    }

    /// Another process holds the database's write lock (as a full disk would, the commit fails): the
    /// committer reports it, retries, and commits once the lock is released — no restart.
    @Test func failedCommitIsRetriedAndThePeerRecovers() async throws {
        var harness = try PeerHarness()
        let peer = harness.peers[0]
        let changes = await peer.committer.healthChanges()
        var iterator = changes.makeAsyncIterator()
        #expect(await iterator.next() == .healthy)

        let lock = try WriteLock(path: peer.ledger.path)
        try await peer.committer.submit(try harness.former.block([try envelope(harness, "t1")]))
        let failing = await iterator.next()
        guard case .retrying(blockNumber: 0, attempts: 1, _)? = failing else {
            Issue.record("expected a failing commit of block 0, got \(String(describing: failing))")
            return
        }
        #expect(await peer.committer.height == 0)
        lock.release()

        await peer.committer.waitUntil(height: 1)
        #expect(await iterator.next() == .healthy, "one report per incident, then the recovery")
        try await peer.committer.submit(try harness.former.block([try envelope(harness, "t2")]))
        await peer.committer.waitUntil(height: 2)
        #expect(await peer.committer.health == .healthy)
    }
}

/// SQLite's write lock on a database, held by a connection of its own (as another process could).
private final class WriteLock {
    private var connection: OpaquePointer?

    struct Failed: Error {}

    init(path: String) throws {
        guard sqlite3_open(path, &connection) == SQLITE_OK,
              sqlite3_exec(connection, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK else { throw Failed() }
    }

    func release() {
        sqlite3_exec(connection, "ROLLBACK", nil, nil, nil)
        sqlite3_close(connection)
        connection = nil
    }
}
