import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Raft
import WeftCore
import WeftCommandLine

/// `weft bench raft`: the throughput and commit latency of a 3-node Raft cluster in one process, each
/// node with durable file storage (real fsync) in a temporary directory.
public struct BenchRaftCommand: ParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "raft",
        abstract: "Measure a 3-node Raft cluster's entries per second and proposal-to-commit latency.",
        discussion: """
        Each node runs on its own thread with FileRaftStorage (fsync before sending). The leader keeps at
        most --window entries uncommitted, proposing all it may in one batch per loop.
        Example:
          swift build -c release && .build/release/weft bench raft --entries 30000 --size 3072
        """
    )

    @Option(help: "Entries (envelopes) to commit.")
    var entries = 20_000

    @Option(help: "Bytes per entry.")
    var size = 3_072

    @Option(help: "Most entries the leader keeps proposed but uncommitted.")
    var window = 1_000

    @Option(help: "Directory for the nodes' storage (default: a new temporary directory, removed afterwards).")
    var dir: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Refuses option values the benchmark cannot run with (exit status 1).
    public func validate() throws {
        guard entries > 0, size >= 8, window > 0 else {
            throw ValidationError("--entries and --window must be positive and --size at least 8")
        }
    }

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() throws {
        let root = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-raft-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: root) } }
        let workload = RaftBenchWorkload(total: entries, envelopeSize: size, window: window)
        let ids: [NodeID] = [1, 2, 3]
        var nodes: [NodeID: RaftBenchNode] = [:]
        do {
            for id in ids {
                nodes[id] = try RaftBenchNode(id: id, voters: ids, directory: "\(root)/node\(id)",
                                              workload: id == 1 ? workload : nil)
            }
        } catch {
            throw CLIFailure(.other, "cannot create the Raft storage under \(root): \(error)")
        }
        for node in nodes.values { node.connect(nodes) }
        DescriptorOutput.standardError("raft bench: \(entries) entries of \(size) bytes, 3 nodes under \(root)\n")
        nodes[1]!.campaign()
        let started = DispatchTime.now().uptimeNanoseconds
        for id in ids { nodes[id]!.start() }
        workload.waitUntilDone()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        for node in nodes.values { node.stop() }
        if let failure = ids.compactMap({ nodes[$0]!.failure }).first {
            throw CLIFailure(.other, "the Raft cluster failed: \(failure)")
        }
        report(workload: workload, seconds: seconds, leaderReadies: nodes[1]!.readies)
    }

    private func report(workload: RaftBenchWorkload, seconds: Double, leaderReadies: Int) {
        let sorted = workload.latenciesNanoseconds.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
        }
        let rate = Double(workload.committedCount) / seconds
        let megabytes = rate * Double(size) / 1_048_576
        let perReady = Double(workload.committedCount) / Double(max(leaderReadies, 1))
        if json {
            print("""
                {"entries":\(workload.committedCount),"entryBytes":\(size),"seconds":\(fmt(seconds)),\
                "entriesPerSecond":\(fmt(rate)),"megabytesPerSecond":\(fmt(megabytes)),\
                "p50Milliseconds":\(fmt(percentile(0.5))),"p99Milliseconds":\(fmt(percentile(0.99))),\
                "leaderReadies":\(leaderReadies)}
                """)
        } else {
            print("committed \(workload.committedCount) entries of \(size) B in \(fmt(seconds)) s")
            print("throughput  \(fmt(rate)) entries/s (\(fmt(megabytes)) MiB/s)")
            print("latency     p50 \(fmt(percentile(0.5))) ms, p99 \(fmt(percentile(0.99))) ms (proposal → commit on the leader)")
            print("leader      \(leaderReadies) Ready batches (fsyncs), \(fmt(perReady)) entries each")
        }
    }

    private func fmt(_ value: Double) -> String { TextFormat.format("%.1f", value) }
}
