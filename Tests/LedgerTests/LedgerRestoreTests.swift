import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

/// Join by snapshot at the ledger level: a ledger restored from a snapshot at height N commits blocks
/// N… to the same commit hashes as a peer that committed every block, verifies, and says that older
/// blocks are not there; a snapshot that does not match what the peers report is refused.
@Suite struct LedgerRestoreTests {
    @Test func aRestoredLedgerCommitsTheNextBlocksToTheSameCommitHashes() throws {
        let directory = TemporaryDirectory()
        let original = try Ledger.open(path: directory.path("original.sqlite"))
        var builder = BlockBuilder()
        let workload = DeterministicWorkload(seed: 31)
        var blocks: [(Block, [CommittedTransaction])] = []
        for number in 0..<150 {
            let next = builder.next(workload.transactions(ofBlock: UInt64(number)))
            blocks.append(next)
            try original.commit(next.block, transactions: next.transactions)
            if number == 99 { _ = try original.exportSnapshot(channel: "mychannel", to: directory.path("snap-100")) }
        }
        let manifest = try SnapshotManifest.verify(folder: directory.path("snap-100"))

        let restored = try Ledger.restore(snapshot: directory.path("snap-100"), to: directory.path("joined.sqlite"),
                                          expectedCommitHash: manifest.commitHash)
        #expect(restored.chainInfo.height == 100)
        #expect(Hex.encode(restored.chainInfo.commitHash) == manifest.commitHash)
        for (block, transactions) in blocks[100...] {
            let stored = try restored.commit(block, transactions: transactions)
            let theirs = try original.read { try $0.block(number: block.number) }
            #expect(stored.metadata.commitHash == theirs?.metadata.commitHash, "block \(block.number)")
        }
        #expect(restored.chainInfo == original.chainInfo)
        let report = try LedgerVerifier.verify(path: restored.path)
        #expect(report.firstInconsistency == nil, "\(String(describing: report.firstInconsistency))")

        let snapshot = try restored.snapshot()
        #expect(throws: LedgerError.beforeSnapshot(blockNumber: 5, snapshotHeight: 100)) { try snapshot.block(number: 5) }
        #expect(LedgerError.beforeSnapshot(blockNumber: 5, snapshotHeight: 100).description
            == "block 5 is older than this ledger: it was started from a snapshot at height 100; ask a peer that holds it")
        #expect(try snapshot.block(number: 120)?.header.number == 120)
        #expect(try snapshot.transactionStatus(txID: "tx-31-7-0")?.blockNumber == 7, "old txIDs are still duplicates")
        let history = try snapshot.history(namespace: "alpha", key: "key3", order: .newestFirst, pageSize: 1000)
        #expect(history.entries.allSatisfy { $0.version.blockNumber >= 100 } && history.prunedBelow == 100)
        snapshot.close()
        // Reopened, it is still a ledger (the tail check accepts the snapshot's block as its first).
        restored.close()
        let reopened = try Ledger.open(path: directory.path("joined.sqlite"))
        #expect(reopened.chainInfo == original.chainInfo)
        reopened.close()
        original.close()
    }

    @Test func aSnapshotThatDoesNotMatchIsRefusedAndNothingIsWritten() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path("a.sqlite"))
        var builder = BlockBuilder()
        for number in 0..<10 {
            let (block, transactions) = builder.next(DeterministicWorkload(seed: 32).transactions(ofBlock: UInt64(number)))
            try ledger.commit(block, transactions: transactions)
        }
        let manifest = try ledger.exportSnapshot(channel: "mychannel", to: directory.path("snap"))
        let wrong = String(repeating: "ab", count: 32)
        #expect(throws: LedgerError.invalidArgument("the snapshot's commit hash at height 10 is \(manifest.commitHash), not the \(wrong) given")) {
            try Ledger.restore(snapshot: directory.path("snap"), to: directory.path("b.sqlite"), expectedCommitHash: wrong)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("b.sqlite")))
        #expect(throws: LedgerError.self) { try Ledger.restore(snapshot: directory.path("snap"), to: directory.path("a.sqlite")) }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory.path("snap") + "/deleted-keys.bin"))
        #expect(throws: LedgerError.self) { try Ledger.restore(snapshot: directory.path("snap"), to: directory.path("c.sqlite")) }
        #expect(!FileManager.default.fileExists(atPath: directory.path("c.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: directory.path("c.sqlite.restoring")))
        ledger.close()
    }

    @Test func aRestoreKilledHalfwayLeavesNoLedgerAndTheNextOneStartsClean() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path("a.sqlite"))
        var builder = BlockBuilder()
        for number in 0..<5 {
            let (block, transactions) = builder.next(DeterministicWorkload(seed: 33).transactions(ofBlock: UInt64(number)))
            try ledger.commit(block, transactions: transactions)
        }
        let manifest = try ledger.exportSnapshot(channel: "mychannel", to: directory.path("snap"))
        ledger.close()
        // What a restore killed during its load leaves: a half-built file beside the target, never the target.
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: directory.path("b.sqlite.restoring")))
        let restored = try Ledger.restore(snapshot: directory.path("snap"), to: directory.path("b.sqlite"))
        #expect(Hex.encode(restored.chainInfo.commitHash) == manifest.commitHash)
        restored.close()
        #expect(!FileManager.default.fileExists(atPath: directory.path("b.sqlite.restoring")))
        // The restored file is a WAL-mode ledger like any other: it reopens and verifies.
        let reopened = try Ledger.open(path: directory.path("b.sqlite"))
        #expect(reopened.chainInfo.height == 5)
        reopened.close()
    }
}
