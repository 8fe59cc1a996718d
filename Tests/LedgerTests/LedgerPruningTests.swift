import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

/// Pruning: bodies and key history of old blocks go, headers, metadata and txIDs stay; the ledger
/// still verifies, answers `.pruned` (naming the archive) for what is gone, keeps every txID for
/// duplicate detection, keeps world state exactly, and gives the space back to the file system.
@Suite struct LedgerPruningTests {
    /// Two ledgers with the same 300 blocks of workload seed 21 (one to prune, one to compare with).
    private func twins(in directory: TemporaryDirectory, blocks: Int = 300) throws -> (Ledger, Ledger) {
        let pruned = try Ledger.open(path: directory.path("pruned.sqlite"))
        let whole = try Ledger.open(path: directory.path("whole.sqlite"))
        var builder = BlockBuilder()
        let workload = DeterministicWorkload(seed: 21)
        for number in 0..<blocks {
            let (block, transactions) = builder.next(workload.transactions(ofBlock: UInt64(number)))
            try pruned.commit(block, transactions: transactions)
            try whole.commit(block, transactions: transactions)
        }
        return (pruned, whole)
    }

    @Test func aPrunedLedgerVerifiesKeepsItsStateAndTxIDsAndSaysWhatIsGone() throws {
        let directory = TemporaryDirectory()
        let (ledger, whole) = try twins(in: directory)
        let archive = directory.path("blocks-0-199.archive")
        let exported = try BlockArchive.export(from: ledger, first: 0, last: 199, to: archive)
        #expect(exported.blocks == 200)

        let report = try ledger.prune(before: 200, archive: archive)
        #expect(report.prunedBelow == 200)
        #expect(report.envelopesRemoved > 1000 && report.historyRowsRemoved > 1000, "\(report)")
        #expect(report.returnedSpace)
        #expect(report.fileBytesAfter < report.fileBytesBefore, "\(report)")
        #expect(try ledger.retention() == Retention(prunedBelow: 200, archive: archive))

        let verified = try LedgerVerifier.verify(path: ledger.path)
        #expect(verified.firstInconsistency == nil, "\(String(describing: verified.firstInconsistency))")
        #expect(verified.prunedBelow == 200 && verified.blocksVerified == 300)

        let snapshot = try ledger.snapshot()
        defer { snapshot.close() }
        #expect(throws: LedgerError.pruned(blockNumber: 10, prunedBelow: 200, archive: archive)) { try snapshot.block(number: 10) }
        #expect(try snapshot.block(number: 250)?.header.number == 250)
        let oldTx = "tx-21-10-0"
        #expect(try snapshot.transactionStatus(txID: oldTx)?.blockNumber == 10, "the txID index is kept: a replay is still a duplicate")
        #expect(throws: LedgerError.pruned(blockNumber: 10, prunedBelow: 200, archive: archive)) { try snapshot.transaction(txID: oldTx) }
        #expect(throws: LedgerError.pruned(blockNumber: 10, prunedBelow: 200, archive: archive)) { try snapshot.inclusionProof(txID: oldTx) }
        #expect(LedgerError.pruned(blockNumber: 10, prunedBelow: 200, archive: "a").description
            == "block 10 was pruned from this ledger (blocks below 200 keep only their headers); it is in the archive a")

        // History keeps what is at or after block 200 and says older entries were pruned.
        let page = try snapshot.history(namespace: "alpha", key: "key1", order: .oldestFirst, pageSize: 1000)
        let full = try whole.read { try $0.history(namespace: "alpha", key: "key1", order: .oldestFirst, pageSize: 1000) }
        #expect(page.entries == full.entries.filter { $0.version.blockNumber >= 200 })
        #expect(page.prunedBelow == 200 && full.prunedBelow == nil)
        let newest = try snapshot.history(namespace: "alpha", key: "key1", order: .newestFirst, pageSize: 1000)
        #expect(newest.entries == page.entries.reversed() && newest.prunedBelow == 200)

        // World state is untouched: the pruned ledger's snapshot is the unpruned twin's.
        let mine = try ledger.exportSnapshot(channel: "c", to: directory.path("snap-pruned"))
        let theirs = try whole.exportSnapshot(channel: "c", to: directory.path("snap-whole"))
        #expect(mine == theirs)
        #expect(throws: LedgerError.self) { try ledger.exportSnapshot(channel: "c", at: 250, to: directory.path("snap-250")) }

        // The archive checks out against the kept headers; it still commits afterwards.
        #expect(try BlockArchive.verify(archive: archive, against: ledger) == exported)
        var builder = BlockBuilder(continuing: ledger.chainInfo)
        let (next, transactions) = builder.next(DeterministicWorkload(seed: 21).transactions(ofBlock: 300))
        try ledger.commit(next, transactions: transactions)
        #expect(try LedgerVerifier.verify(path: ledger.path).firstInconsistency == nil)
        ledger.close()
        whole.close()
    }

    @Test func pruningRefusesAHeightAboveTheLedgerAndIsIdempotent() throws {
        let directory = TemporaryDirectory()
        let (ledger, whole) = try twins(in: directory, blocks: 20)
        #expect(throws: LedgerError.invalidArgument("cannot prune below block 21: the ledger's height is 20")) {
            try ledger.prune(before: 21)
        }
        #expect(try ledger.retention() == .none)
        _ = try ledger.prune(before: 10)
        let again = try ledger.prune(before: 5)
        #expect(again.prunedBelow == 10 && again.envelopesRemoved == 0 && again.historyRowsRemoved == 0)
        #expect(try LedgerVerifier.verify(path: ledger.path).firstInconsistency == nil)
        whole.close()
    }

    @Test func aTamperedOrForeignArchiveIsRefused() throws {
        let directory = TemporaryDirectory()
        let (ledger, _) = try twins(in: directory, blocks: 30)
        let archive = directory.path("a.archive")
        _ = try BlockArchive.export(from: ledger, first: 5, last: 14, to: archive)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        bytes[bytes.count - 10] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: archive))
        #expect(throws: LedgerError.self) { try BlockArchive.verify(archive: archive, against: ledger) }

        // An archive of another chain (other workload) does not match this ledger's headers.
        let other = try Ledger.open(path: directory.path("other.sqlite"))
        var builder = BlockBuilder()
        for number in 0..<20 {
            let (block, transactions) = builder.next(DeterministicWorkload(seed: 99).transactions(ofBlock: UInt64(number)))
            try other.commit(block, transactions: transactions)
        }
        let foreign = directory.path("foreign.archive")
        _ = try BlockArchive.export(from: other, first: 5, last: 14, to: foreign)
        do {
            _ = try BlockArchive.verify(archive: foreign, against: ledger)
            Issue.record("a foreign archive verified")
        } catch {
            #expect("\(error)".contains("is not the block the ledger keeps at that height"), "\(error)")
        }
        #expect(throws: LedgerError.invalidArgument("blocks 5…40 are not a range of the ledger's blocks 0…29")) {
            try BlockArchive.export(from: ledger, first: 5, last: 40, to: directory.path("b.archive"))
        }
        other.close()
    }
}
