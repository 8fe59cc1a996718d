import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

/// Snapshots of a ledger: the same blocks give the same snapshot hash on every peer, a snapshot at an
/// earlier height (rebuilt from history) equals the one taken at that height, a damaged snapshot is
/// refused naming what is wrong, and commits go on while a snapshot is written.
@Suite struct LedgerSnapshotExportTests {
    /// A ledger with `blocks` blocks of workload `seed` (seed 11: ~10 transactions a block, deletes and
    /// invalid transactions included).
    private func ledger(in directory: TemporaryDirectory, name: String = "channel.sqlite", blocks: Int, seed: UInt64 = 11) throws -> Ledger {
        let ledger = try Ledger.open(path: directory.path(name))
        var builder = BlockBuilder()
        let workload = DeterministicWorkload(seed: seed)
        for number in 0..<blocks {
            let (block, transactions) = builder.next(workload.transactions(ofBlock: UInt64(number)))
            try ledger.commit(block, transactions: transactions)
        }
        return ledger
    }

    private func bytes(_ folder: String, _ name: String) -> Data? {
        FileManager.default.contents(atPath: folder + "/" + name)
    }

    @Test func twoPeersAtTheSameHeightProduceTheSameSnapshot() throws {
        let directory = TemporaryDirectory()
        let first = try ledger(in: directory, name: "a.sqlite", blocks: 40)
        let second = try ledger(in: directory, name: "b.sqlite", blocks: 40)
        let one = try first.exportSnapshot(channel: "mychannel", to: directory.path("snap-a"))
        let two = try second.exportSnapshot(channel: "mychannel", to: directory.path("snap-b"))
        #expect(one == two)
        #expect(one.height == 40)
        #expect(one.commitHash == Hex.encode(first.chainInfo.commitHash))
        #expect(one.blockHash == Hex.encode(first.chainInfo.currentBlockHash))
        #expect(one.files.map(\.records).allSatisfy { $0 > 0 }, "state, deleted keys, txIDs and the last block are all there: \(one.files)")
        for name in one.files.map(\.name) + [SnapshotManifest.fileName] {
            #expect(bytes(directory.path("snap-a"), name) == bytes(directory.path("snap-b"), name), "\(name) differs")
        }
        #expect(try SnapshotManifest.verify(folder: directory.path("snap-a")) == one)
        // Another channel's snapshot of the same blocks is another snapshot.
        let other = try first.exportSnapshot(channel: "other", to: directory.path("snap-c"))
        #expect(other.snapshotHash != one.snapshotHash)
    }

    @Test func aSnapshotAtAnEarlierHeightEqualsTheOneTakenThen() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(in: directory, blocks: 25)
        let then = try ledger.exportSnapshot(channel: "mychannel", to: directory.path("at-25"))
        var builder = BlockBuilder(continuing: ledger.chainInfo)
        let workload = DeterministicWorkload(seed: 11)
        for number in 25..<60 {
            let (block, transactions) = builder.next(workload.transactions(ofBlock: UInt64(number)))
            try ledger.commit(block, transactions: transactions)
        }
        let rebuilt = try ledger.exportSnapshot(channel: "mychannel", at: 25, to: directory.path("rebuilt-25"))
        #expect(rebuilt == then)
        for name in then.files.map(\.name) {
            #expect(bytes(directory.path("at-25"), name) == bytes(directory.path("rebuilt-25"), name), "\(name) differs")
        }
        #expect(throws: LedgerError.invalidArgument("height 61 is above the ledger's height 60")) {
            try ledger.exportSnapshot(channel: "mychannel", at: 61, to: directory.path("too-high"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("too-high")) && !FileManager.default.fileExists(atPath: directory.path("too-high.partial")))
        #expect(throws: LedgerError.invalidArgument("\(directory.path("at-25")) already exists; name a new folder for the snapshot")) {
            try ledger.exportSnapshot(channel: "mychannel", to: directory.path("at-25"))
        }
    }

    @Test func aDamagedSnapshotIsRefusedNamingWhatIsWrong() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(in: directory, blocks: 10)
        let folder = directory.path("snap")
        let manifest = try ledger.exportSnapshot(channel: "mychannel", to: folder)
        let statePath = folder + "/state.bin"
        let original = try Data(contentsOf: URL(fileURLWithPath: statePath))

        var altered = original
        altered[altered.count / 2] ^= 0x01
        try altered.write(to: URL(fileURLWithPath: statePath))
        #expect(throws: LedgerError.self) { try SnapshotManifest.verify(folder: folder) }
        do {
            _ = try SnapshotManifest.verify(folder: folder)
        } catch {
            #expect("\(error)".contains("state.bin") && "\(error)".contains("SHA-256"), "\(error)")
        }

        try FileManager.default.removeItem(atPath: statePath)
        #expect(throws: LedgerError.corrupt(path: folder, problem: "state.bin is missing")) { try SnapshotManifest.verify(folder: folder) }
        try original.write(to: URL(fileURLWithPath: statePath))
        #expect(try SnapshotManifest.verify(folder: folder) == manifest)

        // A manifest edited to claim another commit hash no longer matches its snapshot hash.
        let manifestPath = folder + "/" + SnapshotManifest.fileName
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
        try text.replacingOccurrences(of: manifest.commitHash, with: String(repeating: "0", count: 64))
            .write(toFile: manifestPath, atomically: true, encoding: .utf8)
        do {
            _ = try SnapshotManifest.verify(folder: folder)
            Issue.record("an edited manifest verified")
        } catch {
            #expect("\(error)".contains("does not cover its contents"), "\(error)")
        }

        #expect(throws: LedgerError.self) { try SnapshotManifest.verify(folder: directory.path("nothing-here")) }
    }

    @Test func commitsGoOnWhileASnapshotAndABackupAreWritten() async throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(in: directory, blocks: 30)
        let committer = Task.detached {
            var builder = BlockBuilder(continuing: ledger.chainInfo)
            let workload = DeterministicWorkload(seed: 11)
            for number in 30..<130 {
                let (block, transactions) = builder.next(workload.transactions(ofBlock: UInt64(number)))
                try ledger.commit(block, transactions: transactions)
            }
        }
        let manifest = try ledger.exportSnapshot(channel: "mychannel", to: directory.path("snap"))
        let backedUp = try ledger.backup(to: directory.path("backup.sqlite"))
        try await committer.value
        #expect(manifest.height >= 30 && manifest.height <= 130)
        #expect(backedUp.height >= manifest.height && backedUp.height <= 130)
        #expect(try SnapshotManifest.verify(folder: directory.path("snap")) == manifest)
        // The backup is a ledger that verifies, at the block boundary it reports.
        let report = try LedgerVerifier.verify(path: directory.path("backup.sqlite"))
        #expect(report.firstInconsistency == nil)
        #expect(report.chainInfo == backedUp)
        // It answers as the original did at that height: its snapshot equals one rebuilt from history.
        let restored = try Ledger.open(path: directory.path("backup.sqlite"))
        let fromBackup = try restored.exportSnapshot(channel: "mychannel", to: directory.path("snap-backup"))
        let rebuilt = try ledger.exportSnapshot(channel: "mychannel", at: backedUp.height, to: directory.path("snap-rebuilt"))
        #expect(fromBackup == rebuilt)
        restored.close()
        #expect(throws: LedgerError.invalidArgument("\(directory.path("backup.sqlite")) already exists; name a new file for the backup")) {
            try ledger.backup(to: directory.path("backup.sqlite"))
        }
    }
}
