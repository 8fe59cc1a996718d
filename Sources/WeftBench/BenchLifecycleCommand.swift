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
public struct BenchLifecycleCommand: ParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Measure snapshots, join by snapshot, pruning and online backup on a large ledger.",
        discussion: """
        Builds a ledger of --keys keys and --blocks blocks of 500 updates (durable commits: the time is \
        what a peer replaying those blocks spends in its ledger), then: writes a snapshot (time, size); \
        restores it into a new ledger (join by snapshot) and compares with the replay; commits \
        --measure blocks alone, while snapshots are taken in a loop, and while backups are; prunes 90 % \
        of the blocks and compares the file with state + headers + txID index.

        Example:
          swift build -c release && .build/release/weft bench lifecycle --keys 1000000
        """
    )

    @Option(help: "Keys in world state.") var keys = 1_000_000
    @Option(help: "Blocks of 500 updates after the keys are loaded.") var blocks = 100
    @Option(help: "Blocks committed for each commit-rate measurement.") var measure = 30

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() throws {
        guard keys >= 1000, blocks >= 10, measure >= 5 else {
            throw CLIFailure(.usage, "use --keys ≥ 1000, --blocks ≥ 10 and --measure ≥ 5")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-lifecycle-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var workload = BenchLedgerWorkload(keyCount: keys, seed: 11)
        let ledger = try Ledger.open(path: folder + "/ledger.sqlite")
        defer { ledger.close() }

        print("weft bench lifecycle — \(keys) keys, then \(blocks) blocks of 500 updates (durable commits)")
        let replay = try timed {
            var loaded = 0
            while loaded < keys {
                let count = min(1000, keys - loaded)
                let transactions = workload.loadTransactions(firstKey: loaded, count: count)
                try ledger.commitNext(data: transactions.map { workload.envelope(for: $0) }, transactions: transactions)
                loaded += count
            }
            try commitUpdates(blocks, into: ledger, &workload)
        }
        let height = ledger.chainInfo.height
        print(TextFormat.format("build (= replay of %llu blocks): %.1f s", height, replay))

        let snapshotFolder = folder + "/snapshot"
        var manifest: SnapshotManifest?
        let snapshotSeconds = try timed { manifest = try ledger.exportSnapshot(channel: "bench", to: snapshotFolder) }
        let snapshotBytes = manifest?.files.reduce(UInt64(0)) { $0 + $1.bytes } ?? 0
        print(TextFormat.format("snapshot: %.1f s, %.1f MiB (%llu keys)", snapshotSeconds, Double(snapshotBytes) / 1_048_576,
                                manifest?.files.first?.records ?? 0))

        var restored: Ledger?
        let restoreSeconds = try timed { restored = try Ledger.restore(snapshot: snapshotFolder, to: folder + "/joined.sqlite") }
        restored?.close()
        print(TextFormat.format("join by snapshot: %.1f s — %.1f× faster than replaying the blocks", restoreSeconds, replay / restoreSeconds))

        let alone = try commitRate(ledger, &workload)
        let duringSnapshots = try commitRate(ledger, &workload) { index in
            _ = try ledger.exportSnapshot(channel: "bench", to: folder + "/loop-snapshot-\(index)")
            try? FileManager.default.removeItem(atPath: folder + "/loop-snapshot-\(index)")
        }
        let duringBackups = try commitRate(ledger, &workload) { index in
            _ = try ledger.backup(to: folder + "/loop-backup-\(index).sqlite")
            try? FileManager.default.removeItem(atPath: folder + "/loop-backup-\(index).sqlite")
        }
        print(TextFormat.format("commits: %.0f tx/s alone, %.0f tx/s during snapshots (%.0f %%), %.0f tx/s during backups (%.0f %%)",
                                alone, duringSnapshots, 100 * duringSnapshots / alone, duringBackups, 100 * duringBackups / alone))

        let before = try ledger.bytesByTable()
        let pruneBelow = ledger.chainInfo.height * 9 / 10
        var report: PruneReport?
        let pruneSeconds = try timed { report = try ledger.prune(before: pruneBelow) }
        let after = try ledger.bytesByTable()
        let kept = ["state", "blocks", "blocks_by_hash", "transactions", "transactions_by_tx_key", "deleted_keys", "savepoint", "retention"]
        let floor = kept.compactMap { before[$0] }.reduce(0, +) - (before["transactions"] ?? 0) + (after["transactions"] ?? 0)
        if let report {
            print(TextFormat.format(
                "prune below block %llu (90 %%): %.1f s; database %.1f → %.1f MiB; state + headers + txID index %.1f MiB (file at %.0f %% of it)",
                pruneBelow, pruneSeconds, Double(report.fileBytesBefore) / 1_048_576, Double(report.fileBytesAfter) / 1_048_576,
                Double(floor) / 1_048_576, 100 * Double(report.fileBytesAfter) / Double(max(floor, 1))))
        }
    }

    /// Commits `count` blocks of 500 updates.
    private func commitUpdates(_ count: Int, into ledger: Ledger, _ workload: inout BenchLedgerWorkload) throws {
        for _ in 0..<count {
            let (transactions, _) = workload.updateTransactions()
            try ledger.commitNext(data: transactions.map { workload.envelope(for: $0) }, transactions: transactions)
        }
    }

    /// Transactions per second over `measure` blocks, with `background` run in a loop meanwhile.
    private func commitRate(_ ledger: Ledger, _ workload: inout BenchLedgerWorkload,
                            background: (@Sendable (Int) throws -> Void)? = nil) throws -> Double {
        let stop = StopFlag()
        let finished = ThreadCondition()
        let done = StopFlag()
        if let background {
            DedicatedThread.start(name: "bench-background") {
                var index = 0
                while !stop.isSet {
                    try? background(index)
                    index += 1
                }
                finished.lock()
                done.set()
                finished.signal()
                finished.unlock()
            }
        }
        let seconds = try timed { try commitUpdates(measure, into: ledger, &workload) }
        stop.set()
        if background != nil {
            finished.lock()
            while !done.isSet { finished.wait() }
            finished.unlock()
        }
        return Double(measure * 500) / seconds
    }

    private func timed(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = (ContinuousClock.now - start).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }
}

/// A flag set once, read from another thread.
private final class StopFlag: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched under `condition`.
    private let condition = ThreadCondition()
    private var value = false
    var isSet: Bool {
        condition.lock()
        defer { condition.unlock() }
        return value
    }
    func set() {
        condition.lock()
        value = true
        condition.unlock()
    }
}
