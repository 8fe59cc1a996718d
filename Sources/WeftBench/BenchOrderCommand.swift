import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Orderer
import WeftCore
import WeftCommandLine

/// `weft bench order`: envelopes and blocks per second of a 3-node Raft ordering cluster in one process,
/// and the latency from broadcast to block delivery (docs/BENCHMARKS.md, "Ordering (issue 8)").
public struct BenchOrderCommand: AsyncParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Measure a 3-node ordering cluster: envelopes/s, blocks/s, broadcast-to-delivery latency.",
        discussion: """
        Three orderers run in this process, each with its Raft log and block store on disk (fsync), the
        system clock (100 ms ticks) and the real broadcast checks (creator certificate, low-S signature
        over each ~3 KB endorsed asset-transfer envelope). Clients broadcast round-robin to the three
        orderers (followers forward to the leader), keeping at most --window envelopes undelivered;
        latency is measured from the broadcast call to the block's delivery by a follower.
        With --kill-leader-after N, the leader is stopped after N envelopes were delivered; the figure
        is the pause until the new leader's first block (envelopes the old leader held are lost).

        Examples:
          swift build -c release && .build/release/weft bench order --envelopes 40000
          .build/release/weft bench order --envelopes 20000 --kill-leader-after 10000
        """
    )

    @Option(help: "Envelopes to order.")
    var envelopes = 40_000

    @Option(help: "Concurrent broadcasting clients.")
    var clients = 64

    @Option(help: "Most envelopes broadcast but not yet delivered.")
    var window = 4_000

    @Option(name: .customLong("batch-size"), help: "Envelopes per block (maxEnvelopeCount).")
    var batchSize = 500

    @Option(name: .customLong("batch-timeout-ms"), help: "Batch timeout in milliseconds.")
    var batchTimeoutMilliseconds = 100

    @Option(name: .customLong("inflight-blocks"), help: "Blocks the leader may have proposed but not applied.")
    var inflightBlocks = 5

    @Option(name: .customLong("kill-leader-after"),
            help: "Stop the leader once this many envelopes were delivered, and measure the pause in deliveries.")
    var killLeaderAfter: Int?

    @Option(help: "Directory for the orderers' files (default: a new temporary directory, removed afterwards).")
    var dir: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    struct Report: Encodable {
        var envelopes: Int
        var envelopeBytes: Int
        var blocks: Int
        var seconds: Double
        var envelopesPerSecond: Double
        var blocksPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var refused: Int
        var retries: Int
        var nodesAgree: Bool
        var cpuCores: Double
        var failoverSeconds: Double?
        var goalEnvelopesPerSecond: Double
    }

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Refuses option values the benchmark cannot run with (exit status 1).
    public func validate() throws {
        guard envelopes > 0, clients > 0, window > 0, batchSize > 0, batchTimeoutMilliseconds > 0, inflightBlocks > 0,
              (killLeaderAfter ?? 1) > 0 else {
            throw ValidationError("every option takes a positive number, e.g. --envelopes 40000 --clients 64")
        }
    }

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() async throws {
        let root = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-order-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: root) } }
        let material = try OrderBenchMaterial()
        Self.progress("order bench: building \(envelopes) endorsed envelopes…")
        let envelopeBytes = try material.envelopes(count: envelopes)
        let averageSize = envelopeBytes.reduce(0) { $0 + $1.count } / envelopeBytes.count
        Self.progress("order bench: \(envelopes) envelopes of ~\(averageSize) B, 3 orderers under \(root)")
        let limits = BatchLimits(maxEnvelopeCount: batchSize, batchTimeout: .milliseconds(batchTimeoutMilliseconds))
        let outcome = try await OrderBenchRun(
            envelopes: envelopeBytes, material: material, directory: root, clients: clients, window: window,
            limits: limits, maxInflightBlocks: inflightBlocks, killLeaderAfter: killLeaderAfter
        ).run()
        let sorted = outcome.latenciesNanoseconds.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
        }
        let report = Report(
            envelopes: outcome.envelopes, envelopeBytes: averageSize, blocks: outcome.blocks, seconds: outcome.seconds,
            envelopesPerSecond: Double(outcome.envelopes) / outcome.seconds, blocksPerSecond: Double(outcome.blocks) / outcome.seconds,
            p50Milliseconds: percentile(0.5), p99Milliseconds: percentile(0.99), refused: outcome.refused,
            retries: outcome.retries, nodesAgree: outcome.tipsAgree, cpuCores: outcome.cpuSeconds / outcome.seconds,
            failoverSeconds: outcome.failoverSeconds, goalEnvelopesPerSecond: 8_000)
        if json {
            try JSONOutput.print(report)
        } else {
            print(TextFormat.format("ordered %d envelopes of ~%d B in %d blocks in %.2f s", report.envelopes, averageSize, report.blocks, report.seconds))
            print(TextFormat.format("throughput  %.0f envelopes/s (goal 8,000), %.1f blocks/s", report.envelopesPerSecond, report.blocksPerSecond))
            print(TextFormat.format("latency     p50 %.1f ms, p99 %.1f ms (broadcast → block delivered by a follower)",
                         report.p50Milliseconds, report.p99Milliseconds))
            print(TextFormat.format("cpu         %.2f cores busy on average (this process, all threads)", report.cpuCores))
            if let failover = report.failoverSeconds {
                print(TextFormat.format("failover    %.2f s from stopping the leader to the new leader's first block delivered", failover))
            }
            print("refused \(report.refused), retried \(report.retries) (503: no leader yet, or overloaded); "
                + (report.nodesAgree ? "the running orderers hold the same chain" : "the orderers' tips DIFFER"))
        }
        if killLeaderAfter != nil, outcome.failoverSeconds == nil {
            throw CLIFailure(.other, "no block was delivered after the leader was stopped")
        }
        guard outcome.tipsAgree, outcome.refused == 0 else {
            throw CLIFailure(.other, "the ordering cluster misbehaved: \(outcome.refused) refused, tips agree: \(outcome.tipsAgree)")
        }
    }

    private static func progress(_ line: String) {
        DescriptorOutput.standardError(line + "\n")
    }
}
