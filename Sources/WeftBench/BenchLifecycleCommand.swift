import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import WeftCommandLine

/// `weft bench lifecycle`: snapshot, join by snapshot, pruning and online backup on a large ledger
/// (docs/BENCHMARKS.md, "Ledger lifecycle").
public struct BenchLifecycleCommand: AsyncParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Measure snapshots, join by snapshot, pruning and online backup on a large ledger.",
        discussion: """
        --replay ledger (the default): builds a ledger of --keys keys and --blocks blocks of 500 updates \
        (durable commits: the time is what a peer replaying those blocks spends in its ledger alone), \
        then: writes a snapshot (time, size); restores it into a new ledger (join by snapshot) and \
        compares with the replay; measures commits of --measure blocks alone and while snapshots, \
        backups or background pruning run, in --pairs alternated pairs each (medians; each measurement \
        starts from an empty WAL and counts the checkpoint that ends it); prunes 90 % of the blocks and \
        compares the file with state + headers + txID index.

        --replay committer: endorses --keys CreateAsset transactions (one new key each) under \
        AND('Org1.peer','Org2.peer'), signs blocks of 500 as an orderer, and times the Committer \
        validating (orderer, creator and endorsement signatures, policy, duplicates, MVCC) and \
        committing them — what a new peer without a snapshot replays — then snapshots that ledger and \
        restores it into a new one (join by snapshot), and compares.

        Examples:
          swift build -c release --product weft && .build/release/weft bench lifecycle --keys 1000000
          .build/release/weft bench lifecycle --replay committer --keys 200000
        """
    )

    /// How the ledger that is snapshotted gets built (and what join by snapshot is compared with).
    enum Replay: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Synthetic blocks committed straight into the ledger (no signature, policy or MVCC checks).
        case ledger
        /// Endorsed, signed blocks validated and committed by the Committer, as a new peer replays them.
        case committer
    }

    @Option(help: "Keys in world state (with --replay committer: transactions, one new key each, 500 a block).")
    var keys = 1_000_000
    @Option(help: "Blocks of 500 updates after the keys are loaded (--replay ledger).") var blocks = 100
    @Option(help: "Blocks committed for each commit-rate measurement.") var measure = 30
    @Option(help: "Alternated pairs (alone, then beside the background task) per commit-rate comparison.") var pairs = 3
    @Option(help: "How the ledger is built: ledger (synthetic blocks into the ledger) or committer (signed blocks through the Committer).")
    var replay: Replay = .ledger
    @Flag(help: "Also measure commits beside unpaced snapshots, backups and pruning (as before pacing).") var compareUnpaced = false

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() async throws {
        guard keys >= 1000, blocks >= 10, measure >= 5, pairs >= 1 else {
            throw CLIFailure(.usage, "use --keys ≥ 1000, --blocks ≥ 10, --measure ≥ 5 and --pairs ≥ 1")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-lifecycle-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        switch replay {
        case .ledger: try runLedgerReplay(folder)
        case .committer: try await runCommitterReplay(folder)
        }
    }

    /// Join by snapshot against replaying endorsed, signed blocks through the Committer.
    private func runCommitterReplay(_ folder: String) async throws {
        let blockCount = max(2, keys / BenchLedgerWorkload.transactionsPerBlock)
        print("weft bench lifecycle --replay committer — \(blockCount) blocks of 500 endorsed CreateAsset transactions, "
              + "validated and committed by the Committer (durable commits)")
        let ledger = try Ledger.open(path: folder + "/ledger.sqlite")
        defer { ledger.close() }
        let replayed = try await CommitterReplay.run(blocks: blockCount, folder: URL(fileURLWithPath: folder + "/material"), into: ledger) {
            DescriptorOutput.standardError($0 + "\n")
        }
        let stages = replayed.stages
        print(TextFormat.format(
            "replay through the committer: %.1f s, %.0f tx/s (committer stages: signature checks %.1f s, MVCC %.1f s, ledger commit %.1f s)",
            replayed.seconds, Double(replayed.transactions) / replayed.seconds, stages.signatureChecks.seconds,
            stages.mvcc.seconds, stages.ledgerCommit.seconds))
        let (manifest, restoreSeconds) = try snapshotAndJoin(ledger, folder)
        let stateKeys = manifest.files.first?.records ?? 0
        guard stateKeys == UInt64(replayed.transactions) else {
            throw CLIFailure(.other, "the ledger holds \(stateKeys) keys after \(replayed.transactions) CreateAsset transactions: some were invalid")
        }
        print(TextFormat.format("join by snapshot: %.1f s — %.1f× faster than replaying the blocks through the committer (%.1f× than their ledger commits alone)",
                                restoreSeconds, replayed.seconds / restoreSeconds, stages.ledgerCommit.seconds / restoreSeconds))
    }

    /// Writes a snapshot of `ledger` and restores it into a new ledger; prints the snapshot's time and
    /// size, returns its manifest and the restore's seconds.
    private func snapshotAndJoin(_ ledger: Ledger, _ folder: String) throws -> (SnapshotManifest, Double) {
        let snapshotFolder = folder + "/snapshot"
        var manifest: SnapshotManifest?
        let snapshotSeconds = try LifecycleCommitRates.timed { manifest = try ledger.exportSnapshot(channel: "bench", to: snapshotFolder) }
        guard let manifest else { throw CLIFailure(.other, "no snapshot was written") }
        let snapshotBytes = manifest.files.reduce(UInt64(0)) { $0 + $1.bytes }
        print(TextFormat.format("snapshot (paced): %.1f s, %.1f MiB (%llu keys, %llu txIDs)", snapshotSeconds, Double(snapshotBytes) / 1_048_576,
                                manifest.files.first?.records ?? 0, manifest.files.first { $0.name == "transactions.bin" }?.records ?? 0))
        var restored: Ledger?
        let restoreSeconds = try LifecycleCommitRates.timed { restored = try Ledger.restore(snapshot: snapshotFolder, to: folder + "/joined.sqlite") }
        restored?.close()
        return (manifest, restoreSeconds)
    }

    /// Synthetic blocks straight into the ledger: replay and join, commit rates beside snapshots,
    /// backups and pruning, and what pruning 90 % leaves.
    private func runLedgerReplay(_ folder: String) throws {
        var workload = BenchLedgerWorkload(keyCount: keys, seed: 11)
        let ledger = try Ledger.open(path: folder + "/ledger.sqlite")
        defer { ledger.close() }

        print("weft bench lifecycle — \(keys) keys, then \(blocks) blocks of 500 updates (durable commits)")
        let replay = try LifecycleCommitRates.timed {
            try workload.load(keys, into: ledger)
            try LifecycleCommitRates.commitUpdates(blocks, into: ledger, &workload)
        }
        let height = ledger.chainInfo.height
        print(TextFormat.format("build (= replay of %llu blocks): %.1f s", height, replay))
        let (_, restoreSeconds) = try snapshotAndJoin(ledger, folder)
        print(TextFormat.format("join by snapshot: %.1f s — %.1f× faster than replaying the blocks", restoreSeconds, replay / restoreSeconds))

        var before: [String: Int] = [:]
        let rates = LifecycleCommitRates(ledger: ledger, folder: folder, measure: measure)
        var backgrounds: [LifecycleBackground] = [.snapshots(.default), .backups(.default)]
        if compareUnpaced { backgrounds += [.snapshots(.unpaced), .backups(.unpaced)] }
        // Background pruning prunes at most up to half the blocks, leaving the rest for the final prune.
        let retainBlocks = height - height * 9 / 10
        backgrounds.append(.pruning(retainBlocks: retainBlocks, below: height / 2, .default))
        if compareUnpaced { backgrounds.append(.pruning(retainBlocks: retainBlocks, below: height / 2, .unpaced)) }
        for background in backgrounds {
            // Sizes before any pruning (the rounds beside background pruning prune already).
            if case .pruning = background, before.isEmpty { before = try ledger.bytesByTable() }
            let measured = try rates.pairs(pairs, background, &workload)
            let listed = measured.map { pair in
                TextFormat.format("%.0f/%.0f (%.0f %%)", pair.alone, pair.during, 100 * pair.during / pair.alone)
            }.joined(separator: ", ")
            let alone = LifecycleCommitRates.median(measured.map(\.alone))
            let during = LifecycleCommitRates.median(measured.map(\.during))
            let ratio = LifecycleCommitRates.median(measured.map { $0.during / $0.alone })
            let unit = if case .pruning = background { "blocks pruned" } else { "completed" }
            print("commits alone / during \(background.label), tx/s: \(listed); "
                  + TextFormat.format("medians %.0f / %.0f tx/s, median ratio %.0f %%", alone, during, 100 * ratio)
                  + "; \(measured.map { String($0.backgroundWork) }.joined(separator: "/")) \(unit)")
        }

        let pruneBelow = ledger.chainInfo.height * 9 / 10
        let alreadyPruned = try ledger.retention().prunedBelow
        var report: PruneReport?
        let pruneSeconds = try LifecycleCommitRates.timed { report = try ledger.prune(before: pruneBelow) }
        let after = try ledger.bytesByTable()
        let kept = ["state", "blocks", "blocks_by_hash", "transactions", "transactions_by_tx_key", "deleted_keys", "savepoint", "retention"]
        let floor = kept.compactMap { before[$0] }.reduce(0, +) - (before["transactions"] ?? 0) + (after["transactions"] ?? 0)
        if let report {
            print(TextFormat.format(
                "prune below block %llu (90 %%; blocks below %llu were pruned in the background above): %.1f s; "
                + "database %.1f MiB (dbstat, before any pruning) → %.1f MiB; state + headers + txID index %.1f MiB (file at %.0f %% of it)",
                pruneBelow, alreadyPruned, pruneSeconds, Double(before.values.reduce(0, +)) / 1_048_576, Double(report.fileBytesAfter) / 1_048_576,
                Double(floor) / 1_048_576, 100 * Double(report.fileBytesAfter) / Double(max(floor, 1))))
        }
    }
}
