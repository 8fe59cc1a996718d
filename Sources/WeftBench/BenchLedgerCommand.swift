import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft bench ledger`: commit throughput with durable commits at two state sizes, point reads,
/// range scans and bytes on disk per transaction (docs/BENCHMARKS.md, "Ledger (issue 3)").
public struct BenchLedgerCommand: ParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Measure ledger commits (500-tx blocks, durable), point reads and range scans.",
        discussion: """
        For each state size: preloads that many keys, then commits --blocks blocks of 500 transactions \
        (each 1 read checked against committed versions + 2 writes of ~200-byte JSON values) with \
        synchronous=FULL (fsync per commit) and reports tx/s; then point reads from one read connection \
        and 1,000-key range scans. Also measures synchronous=NORMAL at the smallest size for comparison.

        Example:
          swift build -c release && .build/release/weft bench ledger --sizes 10000,1000000
        """
    )

    @Option(help: "Comma-separated numbers of keys preloaded into state, one run each.")
    var sizes = "10000,1000000"

    @Option(help: "Measured blocks of 500 transactions per run.")
    var blocks = 60

    @Option(help: "Folder for the ledger files (default: a new temporary folder, removed afterwards).")
    var dir: String?

    @Option(help: "SQLite page size of the ledger files, in bytes.")
    var pageSize = LedgerConfiguration().pageSize

    @Option(help: "WAL pages at which a commit checkpoints (SQLite's wal_autocheckpoint).")
    var walAutocheckpoint = LedgerConfiguration().walAutocheckpointPages

    @Flag(help: "Checkpoint on the ledger's background thread instead of inline in the commit that crosses the threshold.")
    var backgroundCheckpoint = false

    @Flag(help: "Create the files without incremental vacuum (to measure what it costs commits).")
    var noIncrementalVacuum = false

    @Flag(help: "With --dir: keep a copy of each preloaded file and reuse it in later runs (delete it after schema changes).")
    var keepPreloaded = false

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() throws {
        let sizeList = sizes.split(separator: ",").compactMap { Int($0.trimmingWhitespace()) }
        guard !sizeList.isEmpty, sizeList.allSatisfy({ $0 >= 1000 }), blocks >= 1 else {
            throw CLIFailure(.usage, "--sizes takes numbers of keys ≥ 1000 separated by commas and --blocks ≥ 1, e.g. --sizes 10000,1000000 --blocks 60")
        }
        let folder = dir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(at: folder) } }

        print("weft bench ledger — \(blocks) blocks × 500 tx per run, 1 read + 2 writes (~200 B JSON) per tx")
        var results: [(size: Int, durability: String, result: BenchLedgerRun.Result)] = []
        for (index, size) in sizeList.enumerated() {
            let path = folder.appendingPathComponent("ledger-\(size).sqlite").path
            let run = BenchLedgerRun(path: path, keyCount: size, blocks: blocks, keepPreloaded: keepPreloaded && dir != nil, pageSize: pageSize,
                walAutocheckpointPages: walAutocheckpoint, checkpointInBackground: backgroundCheckpoint,
                incrementalVacuum: !noIncrementalVacuum)
            let result = try run.execute(durability: .full)
            results.append((size, "FULL", result))
            print(result.summary(label: "\(size) keys, synchronous=FULL"))
            if index == 0 {
                let normal = BenchLedgerRun(
                    path: folder.appendingPathComponent("ledger-\(size)-normal.sqlite").path, keyCount: size, blocks: blocks,
                    keepPreloaded: keepPreloaded && dir != nil, pageSize: pageSize,
                walAutocheckpointPages: walAutocheckpoint, checkpointInBackground: backgroundCheckpoint,
                incrementalVacuum: !noIncrementalVacuum)
                let normalResult = try normal.execute(durability: .normal)
                results.append((size, "NORMAL", normalResult))
                print(normalResult.summary(label: "\(size) keys, synchronous=NORMAL"))
            }
        }
        let full = results.filter { $0.durability == "FULL" }
        if let first = full.first, let last = full.last, full.count > 1 {
            let ratio = last.result.commitTxPerSecond / first.result.commitTxPerSecond
            print(TextFormat.format("scaling: %d keys commit at %.0f%% of %d keys (goal ≥ 80%%)", last.size, ratio * 100, first.size))
        }
    }
}
