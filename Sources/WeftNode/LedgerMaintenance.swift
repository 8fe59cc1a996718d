#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import Logging
import NIOConcurrencyHelpers
import WeftCore
import WeftRPC

/// A peer's ledger administration: snapshots signed by the peer, online backups and block archives
/// written in its data folder (`LedgerFiles`), pruning under the channel's retention
/// (`LedgerSettings`), requested by an admin (`LedgerAdminRoutes`) or automatic after commits
/// (`runRetention`). Every method here blocks (SQLite, files): callers run it on the
/// `BlockingExecutor`. One prune per channel at a time.
final class LedgerMaintenance: Sendable {
    let files: LedgerFiles
    private let node: NodeContext
    private let logger: Logger
    /// Channels with a prune under way.
    private let pruning = NIOLockedValueBox<Set<String>>([])
    /// Channels whose automatic pruning said it waits for a snapshot (said once).
    private let waitingForSnapshot = NIOLockedValueBox<Set<String>>([])

    /// Also removes what an admin call left half-written when the peer last stopped (`writing-…`).
    init(node: NodeContext, logger: Logger) {
        self.node = node
        self.logger = logger
        files = LedgerFiles(dataDir: node.configuration.dataDir)
        for path in files.unfinished() {
            try? FileManager.default.removeItem(atPath: path)
            logger.notice("removed \(path), left half-written when the peer stopped")
        }
    }

    /// The retention in force for `channel`.
    func retention(for channel: String) -> LedgerRetention {
        (node.configuration.ledger ?? LedgerSettings()).retention(for: channel)
    }

    /// The peer's signing identity as a snapshot signer.
    private var signer: SnapshotSigner {
        let identity = node.identity
        return SnapshotSigner(mspID: identity.mspID, certificate: identity.certificate) { try identity.signature(for: $0) }
    }

    /// Writes a snapshot of `channel` at `height` (nil: the current one), signed by the peer, in
    /// `snapshots/<channel>/<height>/`; an existing snapshot at that height is answered as it is.
    func snapshot(_ channel: PeerChannel, height: UInt64?) throws -> LedgerSnapshotTaken {
        let name = channel.channel.name
        let folder = try files.folder(.snapshots, channel: name)
        let writing = "\(folder)/\(LedgerFiles.unfinishedPrefix)\(UUID().uuidString)"
        let manifest = try channel.ledger.exportSnapshot(channel: name, at: height, to: writing, signer: signer)
        let relative = "\(files.relativeFolder(.snapshots, channel: name))/\(manifest.height)"
        let final = files.absolute(relative)
        do {
            try FileManager.default.moveItem(atPath: writing, toPath: final)
            logger.notice("channel \(name): snapshot at height \(manifest.height) in \(final) (snapshot hash \(manifest.snapshotHash))")
        } catch {
            // One at this height is there already (the same data files and manifest): answer it.
            try? FileManager.default.removeItem(atPath: writing)
            guard FileManager.default.fileExists(atPath: "\(final)/\(SnapshotManifest.fileName)") else { throw error }
        }
        let read = { (file: String) in [UInt8]((FileManager.default.contents(atPath: "\(final)/\(file)")) ?? Data()) }
        return LedgerSnapshotTaken(folder: relative, manifest: read(SnapshotManifest.fileName), signature: read(SnapshotSignature.fileName))
    }

    /// Writes an online backup of `channel`'s ledger as `backups/<channel>/<height>.sqlite`.
    func backup(_ channel: PeerChannel) throws -> LedgerFileWritten {
        let name = channel.channel.name
        let folder = try files.folder(.backups, channel: name)
        let writing = "\(folder)/\(LedgerFiles.unfinishedPrefix)\(UUID().uuidString).sqlite"
        let chain = try channel.ledger.backup(to: writing)
        let relative = "\(files.relativeFolder(.backups, channel: name))/\(chain.height).sqlite"
        try replace(files.absolute(relative), with: writing)
        logger.notice("channel \(name): backup at height \(chain.height) in \(files.absolute(relative))")
        return try written(relative, height: chain.height, currentHash: chain.currentBlockHash, commitHash: chain.commitHash)
    }

    /// Exports blocks `first…last` of `channel` as `archives/<channel>/<first>-<last>.archive`.
    func export(_ channel: PeerChannel, first: UInt64, last: UInt64) throws -> LedgerFileWritten {
        let name = channel.channel.name
        let relative = "\(files.relativeFolder(.archives, channel: name))/\(first)-\(last).archive"
        let path = files.absolute(relative)
        let folder = try files.folder(.archives, channel: name)
        let writing = "\(folder)/\(LedgerFiles.unfinishedPrefix)\(UUID().uuidString).archive"
        let summary = try BlockArchive.export(from: channel.ledger, first: first, last: last, to: writing)
        try replace(path, with: writing)
        return try written(relative, height: summary.firstBlock, count: summary.blocks)
    }

    /// Prunes `channel` below `before`, refusing — with the reason — a prune above the latest
    /// snapshot when the channel's retention requires one, a second prune at the same time, and an
    /// archive that does not match the ledger's headers.
    func prune(_ channel: PeerChannel, before: UInt64, archive: String) throws -> PruneReport {
        let name = channel.channel.name
        if retention(for: name).requireSnapshotBeforePrune {
            let latest = files.latestSnapshotHeight(channel: name)
            guard let latest, latest >= before else {
                throw LedgerError.invalidArgument("""
                    \(node.configuration.name) requires a snapshot before pruning (ledger.requireSnapshotBeforePrune): \
                    pruning below block \(before) needs a snapshot at height \(before) or more, and \
                    \(latest.map { "the latest snapshot of '\(name)' is at height \($0)" } ?? "it has no snapshot of '\(name)'") — \
                    take one first: weft ledger snapshot --channel \(name)
                    """)
            }
        }
        return try exclusively(name) { () throws -> PruneReport in
            let path = files.archivePath(archive)
            if !path.isEmpty {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw LedgerError.invalidArgument("there is no archive \(archive) on \(node.configuration.name) (name one that `weft ledger export --channel \(name)` wrote there)")
                }
                _ = try BlockArchive.verify(archive: path, against: channel.ledger)
            }
            return try channel.ledger.prune(before: before, archive: path)
        } busy: {
            throw LedgerError.invalidArgument("a prune of '\(name)' is already running on \(node.configuration.name); try again when it has finished")
        }
    }

    /// One step of automatic pruning of `channel` (at most `Ledger.pruneChunkBlocks` blocks, archived
    /// first when the retention says so); false when there was nothing to do.
    func pruneStep(_ channel: PeerChannel) throws -> Bool {
        let name = channel.channel.name
        let retention = retention(for: name)
        guard retention.retainBlocks != nil else { return false }
        let height = channel.ledger.chainInfo.height
        let done: Bool? = try exclusively(name) { () throws -> Bool in
            let prunedBelow = try channel.ledger.retention().prunedBelow
            let latest = files.latestSnapshotHeight(channel: name)
            guard let next = retention.nextPrune(height: height, prunedBelow: prunedBelow, latestSnapshot: latest, chunk: 256) else {
                noteWaitingForSnapshot(name, retention: retention, height: height, prunedBelow: prunedBelow, latest: latest)
                return false
            }
            var archive = ""
            if retention.archive {
                let folder = try files.folder(.archives, channel: name)
                let path = "\(folder)/\(prunedBelow)-\(next - 1).archive"
                // One left by a step that stopped before its prune is kept if it matches the ledger.
                if FileManager.default.fileExists(atPath: path), (try? BlockArchive.verify(archive: path, against: channel.ledger)) == nil {
                    try FileManager.default.removeItem(atPath: path)
                }
                if !FileManager.default.fileExists(atPath: path) {
                    _ = try BlockArchive.export(from: channel.ledger, first: prunedBelow, last: next - 1, to: path)
                }
                archive = folder
            }
            let report = try channel.ledger.prune(before: next, archive: archive, truncateFile: false)
            logger.info("channel \(name): pruned below block \(report.prunedBelow) (retainBlocks \(retention.retainBlocks ?? 0), height \(height))")
            return true
        } busy: { nil }
        return done ?? false
    }

    /// Prunes every channel with `retainBlocks` set, in the background, after commits: checks each
    /// channel every `interval`, and prunes in steps of at most 256 blocks (each a few short write
    /// transactions between commits) until the channel is within its retention. After a failure (logged)
    /// it waits `retryAfter` before trying again. Returns when cancelled.
    func runRetention(channels: @escaping @Sendable () -> [PeerChannel], interval: Duration = .milliseconds(500),
                      retryAfter: Duration = .seconds(30)) async {
        while !Task.isCancelled {
            var failed = false
            for channel in channels() where retention(for: channel.channel.name).retainBlocks != nil {
                do {
                    while !Task.isCancelled, try await BlockingExecutor.shared.run({ try self.pruneStep(channel) }) {}
                } catch {
                    failed = true
                    logger.error("channel \(channel.channel.name): automatic pruning failed (retrying in \(retryAfter)): \(error)")
                }
            }
            try? await Task.sleep(for: failed ? retryAfter : interval)
        }
    }

    // MARK: Helpers

    /// Runs `body` unless a prune of `channel` is under way (then answers `busy()`).
    private func exclusively<T>(_ channel: String, _ body: () throws -> T, busy: () throws -> T) throws -> T {
        guard pruning.withLockedValue({ $0.insert(channel).inserted }) else { return try busy() }
        defer { pruning.withLockedValue { _ = $0.remove(channel) } }
        return try body()
    }

    /// Logs once that automatic pruning of `channel` waits for a snapshot.
    private func noteWaitingForSnapshot(_ channel: String, retention: LedgerRetention, height: UInt64, prunedBelow: UInt64, latest: UInt64?) {
        guard retention.requireSnapshotBeforePrune, let retain = retention.retainBlocks, height > retain,
              height - retain > max(prunedBelow, latest ?? 0) else { return }
        guard waitingForSnapshot.withLockedValue({ $0.insert(channel).inserted }) else { return }
        logger.notice("channel \(channel): automatic pruning waits for a snapshot (ledger.requireSnapshotBeforePrune); latest snapshot height \(latest.map(String.init) ?? "none") — take one: weft ledger snapshot --channel \(channel)")
    }

    /// Moves `writing` to `final`, replacing an older file of the same name.
    private func replace(_ final: String, with writing: String) throws {
        try? FileManager.default.removeItem(atPath: final)
        try FileManager.default.moveItem(atPath: writing, toPath: final)
    }

    /// Describes the file at `relative` for the caller to download.
    private func written(_ relative: String, height: UInt64, count: UInt64 = 0, currentHash: [UInt8] = [], commitHash: [UInt8] = []) throws -> LedgerFileWritten {
        let digest = try FileChunkReader.digest(path: files.absolute(relative))
        return LedgerFileWritten(path: relative, bytes: digest.bytes, sha256: digest.sha256, height: height, count: count,
                                 currentHash: currentHash, commitHash: commitHash)
    }
}
