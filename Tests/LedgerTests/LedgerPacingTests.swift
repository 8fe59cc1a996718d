import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

/// Paced backups and snapshots (`BackgroundPacing`): copied in many small slices with rests between
/// them while blocks are committed, they are still one consistent view at a block boundary.
@Suite struct LedgerPacingTests {
    /// One page or one row per slice, resting as long as each slice took: as many slices as can be.
    private let finest = BackgroundPacing(backupPagesPerSlice: 1, snapshotRowsPerSlice: 1, restRatio: 1)

    /// Commits blocks of workload seed 11 on a detached task until `stop` is set; returns the task.
    private func committing(_ ledger: Ledger, until stop: Flag) -> Task<Void, any Error> {
        Task.detached {
            var builder = BlockBuilder(continuing: ledger.chainInfo)
            let workload = DeterministicWorkload(seed: 11)
            while !stop.isSet {
                let (block, transactions) = builder.next(workload.transactions(ofBlock: builder.height))
                try ledger.commit(block, transactions: transactions)
            }
        }
    }

    @Test func aPacedBackupWhileCommittingIsTheLedgerAtOneBlock() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path("channel.sqlite"))
        defer { ledger.close() }
        let stop = Flag()
        let first = committing(ledger, until: stop)
        while ledger.chainInfo.height < 40 { try await Task.sleep(for: .milliseconds(5)) }
        stop.set()
        try await first.value

        let again = Flag()
        let committer = committing(ledger, until: again)
        let backedUp = try ledger.backup(to: directory.path("backup.sqlite"), pacing: finest)
        let manifest = try ledger.exportSnapshot(channel: "mychannel", to: directory.path("snap"), pacing: finest)
        again.set()
        try await committer.value

        let report = try LedgerVerifier.verify(path: directory.path("backup.sqlite"))
        #expect(report.firstInconsistency == nil)
        #expect(report.chainInfo == backedUp)
        // The paced copies equal unpaced snapshots rebuilt from the key history at their heights.
        let copy = try Ledger.open(path: directory.path("backup.sqlite"))
        let fromBackup = try copy.exportSnapshot(channel: "mychannel", to: directory.path("snap-backup"), pacing: .unpaced)
        copy.close()
        let rebuiltAtBackup = try ledger.exportSnapshot(channel: "mychannel", at: backedUp.height, to: directory.path("rebuilt-1"), pacing: .unpaced)
        #expect(fromBackup == rebuiltAtBackup)
        let rebuiltAtSnapshot = try ledger.exportSnapshot(channel: "mychannel", at: manifest.height, to: directory.path("rebuilt-2"), pacing: .unpaced)
        #expect(manifest == rebuiltAtSnapshot)
        #expect(try SnapshotManifest.verify(folder: directory.path("snap")) == manifest)
    }
}

/// A flag set once, read from another task.
private final class Flag: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
