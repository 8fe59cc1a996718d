import Foundation
import Testing
import WeftCore
import LedgerTestSupport
import Raft
@testable import Ledger

/// SIGKILL while a real child process commits, prunes, writes snapshots and backups, 20 times: after
/// each kill the ledger opens, holds every block reported committed, verifies (pruned part included),
/// and every snapshot folder or backup file that exists under its final name verifies too — a
/// half-written one only ever exists as `.partial`.
@Suite(.timeLimit(.minutes(10))) struct LifecycleCrashTests {
    static let seed: UInt64 = 20_261_202

    @Test func killsDuringPruneSnapshotAndBackupLeaveEverythingConsistent() async throws {
        let writer = try CrashConsistencyTests.crashWriter()
        let directory = TemporaryDirectory()
        let path = directory.path()
        var random = SplitMix64(seed: Self.seed)
        var previousHeight: UInt64 = 0
        for round in 0..<20 {
            let target = previousHeight + 1 + random.next() % 3
            // Past the commit report the child is pruning, snapshotting or backing up: kill it a
            // seeded few hundred microseconds in.
            let delay = Duration.microseconds(Int(random.next() % 3000))
            guard let (printed, _) = try await CrashConsistencyTests.killWriter(
                writer, arguments: [path, "\(Self.seed)", "lifecycle"], at: target, after: delay, round: round) else { break }

            let ledger = try Ledger.open(path: path)
            #expect(ledger.chainInfo.height >= printed, "round \(round): a reported block is lost")
            ledger.close()
            let report = try LedgerVerifier.verify(path: path)
            #expect(report.isConsistent, "round \(round): \(String(describing: report.firstInconsistency))")
            previousHeight = report.height
        }
        // Every output under its final name is whole.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        var snapshots = 0
        var backups = 0
        // A kill mid-backup can leave `NAME.partial` with its SQLite journal (`NAME.partial-journal`).
        for name in names where !name.contains(".partial") && !name.hasSuffix("-wal") && !name.hasSuffix("-shm") {
            let full = directory.url.appendingPathComponent(name).path
            if name.contains(".snapshot-") {
                _ = try SnapshotManifest.verify(folder: full)
                snapshots += 1
            } else if name.contains(".backup-") {
                let report = try LedgerVerifier.verify(path: full)
                #expect(report.isConsistent, "\(name): \(String(describing: report.firstInconsistency))")
                backups += 1
            }
        }
        #expect(snapshots > 0 && backups > 0, "snapshots \(snapshots), backups \(backups)")
        // Informational: kills that landed inside a snapshot or backup left a `.partial` behind.
        print("LifecycleCrashTests: \(names.filter { $0.hasSuffix(".partial") }.count) kills landed inside a snapshot or backup; \(snapshots) snapshots and \(backups) backups whole")
    }
}
