import ArgumentParser
import Committer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft bench commit`: one peer validating and committing pre-endorsed blocks into a real SQLite
/// ledger, against the signature bound measured in the same run (docs/BENCHMARKS.md, "Peer (issue 7)").
public struct BenchCommitCommand: AsyncParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Measure block validation and commit (500 endorsed asset-transfer transactions per block).",
        discussion: """
        Generates crypto material for Org1, Org2 and an orderer, has a peer of each organization endorse
        --blocks × 500 CreateAsset transactions under AND('Org1.peer','Org2.peer'), signs the blocks as an
        orderer, then times one peer validating (envelope signature, creator, two endorsements, policy,
        duplicates, MVCC) and committing them with durable commits. The signature bound is this machine's
        parallel verify/s (measured in the same run) ÷ 3 verifications per transaction.

        Example:
          swift build -c release && .build/release/weft bench commit --blocks 20
        """
    )

    @Option(help: "Blocks of 500 transactions to commit.")
    var blocks = 20

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    struct Report: Encodable {
        var transactions: Int
        var transactionsPerSecond: Double
        var verifyPerSecond: Double
        var signatureBound: Double
        var ratioToBound: Double
        var signatureChecksMilliseconds: Double
        var mvccMilliseconds: Double
        var ledgerCommitMilliseconds: Double
        var threads: Int
    }

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() async throws {
        guard blocks >= 1 else { throw CLIFailure(.usage, "--blocks takes a number ≥ 1, e.g. --blocks 20") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-commit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        progress("generating crypto material and endorsing \(blocks * 500) transactions…")
        let channel = try BenchChannel(folder: folder)
        let prepared = try channel.endorsedBlocks(count: blocks, perBlock: 500)

        progress("measuring parallel signature verification…")
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let verify = BenchChannel.measureVerify(threads: threads, seconds: 3)
        let bound = verify / 3

        progress("validating and committing…")
        let committer = try channel.committer(ledgerPath: folder.appendingPathComponent("commit.sqlite").path)
        let clock = ContinuousClock()
        let start = clock.now
        let events = committer.events(from: 0)
        try await BenchChannel.commit(prepared, with: committer)
        let elapsed = clock.now - start
        var invalid = 0
        for try await block in events {
            invalid += block.transactions.filter { $0.code != .valid }.count
            if block.blockNumber + 1 == UInt64(blocks) { break }
        }
        guard invalid == 0 else { throw CLIFailure(.other, "\(invalid) pre-endorsed transactions were invalid") }
        let stages = await committer.stageTimes
        let transactions = blocks * 500
        let rate = Double(transactions) / elapsed.seconds
        let report = Report(
            transactions: transactions, transactionsPerSecond: rate, verifyPerSecond: verify, signatureBound: bound,
            ratioToBound: rate / bound, signatureChecksMilliseconds: stages.signatureChecks.seconds * 1000,
            mvccMilliseconds: stages.mvcc.seconds * 1000, ledgerCommitMilliseconds: stages.ledgerCommit.seconds * 1000,
            threads: threads)
        if json {
            try JSONOutput.print(report)
            return
        }
        print(TextFormat.format("committed %d transactions in %d blocks: %.0f tx/s", transactions, blocks, rate))
        print(TextFormat.format("signature bound: %.0f verify/s on %d threads ÷ 3 per tx = %.0f tx/s → %.0f%% of the bound (goal ≥ 85%%)",
                     verify, threads, bound, 100 * rate / bound))
        let total = stages.signatureChecks + stages.mvcc + stages.ledgerCommit
        print("per stage (signature checks of a block overlap the commit of the one before; shown is the wait):")
        for (name, duration) in [("state_validation (signatures, policy)", stages.signatureChecks),
                                 ("mvcc (duplicates, read versions)", stages.mvcc),
                                 ("block_commit (SQLite, fsync)", stages.ledgerCommit)] {
            let label = name.padded(toLength: 38)
            print(TextFormat.format("  %@ %8.1f ms total, %6.2f ms/block (%4.1f%%)", label, duration.seconds * 1000,
                         duration.seconds * 1000 / Double(blocks), 100 * duration.seconds / max(total.seconds, 1e-9)))
        }
    }

    private func progress(_ line: String) { DescriptorOutput.standardError(line + "\n") }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
