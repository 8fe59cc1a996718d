import Foundation
import Raft
import Testing

/// Randomized simulations of 3- and 5-node clusters (see `Simulation`). `swift test` runs
/// `RAFT_SEEDS` seeds per cluster size (default 200; `RAFT_SEEDS=1000` for the full run);
/// `RAFT_SEED=n` replays one seed and prints what it exercised.
@Suite struct RaftSimulation {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let single = environment["RAFT_SEED"].flatMap(UInt64.init) { return [single] }
        let count = environment["RAFT_SEEDS"].flatMap(UInt64.init) ?? 200
        return Array(1...max(count, 1))
    }

    @Test func threeNodes() async { await run(nodeCount: 3) }

    @Test func fiveNodes() async { await run(nodeCount: 5) }

    /// `RAFT_DISK_SEEDS` seeds (default 3) with `FileRaftStorage`: real files and fsync, and a crash
    /// reopens the directory.
    @Test func threeNodesOnDisk() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["RAFT_DISK_SEEDS"].flatMap(Int.init) ?? 3
        let seeds = environment["RAFT_SEED"] == nil ? Array((1...UInt64(max(count, 1)))) : Self.seeds
        for seed in seeds {
            let directory = try TemporaryDirectory("raft-simulation")
            defer { directory.remove() }
            do {
                var options = Simulation.Options()
                options.chaosTicks = 150
                options.storageDirectory = directory.path
                var simulation = try Simulation(seed: seed, nodeCount: 3, options: options)
                try simulation.run()
            } catch {
                Issue.record("""
                    on-disk 3-node simulation with seed \(seed) failed: \(error)
                    replay: RAFT_SEED=\(seed) swift test --filter RaftSimulation/threeNodesOnDisk
                    """)
            }
        }
    }

    /// Yields between seeds, so the simulation shares the cooperative threads with async tests.
    private func run(nodeCount: Int) async {
        let verbose = ProcessInfo.processInfo.environment["RAFT_SEED"] != nil
        var failures = 0
        for seed in Self.seeds {
            await Task.yield()
            do {
                var simulation = try Simulation(seed: seed, nodeCount: nodeCount)
                try simulation.run()
                if verbose { print("\(nodeCount) nodes, seed \(seed): \(simulation.statistics)") }
            } catch {
                failures += 1
                Issue.record("""
                    \(nodeCount)-node simulation with seed \(seed) failed: \(error)
                    replay: RAFT_SEED=\(seed) swift test --filter RaftSimulation
                    """)
                if failures >= 50 { return }
            }
        }
    }
}
