import Foundation
import Raft
import Testing

/// Randomized simulations of 3- and 5-node clusters (see `Simulation`). `swift test` runs
/// `RAFT_SEEDS` seeds per cluster size (default 200; `RAFT_SEEDS=1000` for the full run) over
/// `MemoryRaftStorage`, `RAFT_POWER_LOSS_SEEDS` (default 100) over `PowerLossRaftStorage` and
/// `RAFT_DISK_SEEDS` (default 24; 5 nodes: `RAFT_DISK_SEEDS_5`, default 8) over `FileRaftStorage`; `RAFT_SEED=n` replays one seed and prints what
/// it exercised.
@Suite struct RaftSimulation {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let single = environment["RAFT_SEED"].flatMap(UInt64.init) { return [single] }
        let count = environment["RAFT_SEEDS"].flatMap(UInt64.init) ?? 200
        return Array(1...max(count, 1))
    }

    @Test func threeNodes() async { await run(nodeCount: 3) }

    @Test func fiveNodes() async { await run(nodeCount: 5) }

    /// Seeds `1...count`, where `count` comes from the environment variable `name` (or `default`);
    /// `RAFT_SEED=n` replaces them with the one seed `n`.
    static func seeds(_ name: String, default count: Int) -> [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let single = environment["RAFT_SEED"].flatMap(UInt64.init) { return [single] }
        let count = environment[name].flatMap(Int.init) ?? count
        return Array(1...UInt64(max(count, 1)))
    }

    /// `RAFT_DISK_SEEDS` seeds (default 24), each its own test case, with `FileRaftStorage`: real files
    /// and fsync, and a crash reopens the directory; the full 250 chaos ticks of the memory runs.
    @Test(arguments: seeds("RAFT_DISK_SEEDS", default: 24))
    func threeNodesOnDisk(seed: UInt64) throws {
        let directory = try TemporaryDirectory("raft-simulation")
        defer { directory.remove() }
        var options = Simulation.Options()
        options.storageDirectory = directory.path
        run(seed: seed, nodeCount: 3, options: options, label: "on-disk", test: "threeNodesOnDisk")
    }

    /// `RAFT_DISK_SEEDS_5` seeds (default 8) of 5-node clusters over `FileRaftStorage`.
    @Test(arguments: seeds("RAFT_DISK_SEEDS_5", default: 8))
    func fiveNodesOnDisk(seed: UInt64) throws {
        let directory = try TemporaryDirectory("raft-simulation")
        defer { directory.remove() }
        var options = Simulation.Options()
        options.storageDirectory = directory.path
        run(seed: seed, nodeCount: 5, options: options, label: "on-disk", test: "fiveNodesOnDisk")
    }

    /// `RAFT_POWER_LOSS_SEEDS` seeds (default 100) per size over `PowerLossRaftStorage`: crashes lose
    /// unsynced writes and tear saves, and every tick checks that committed entries are durable on a
    /// quorum, besides the usual election safety, committed-prefix agreement and leader completeness.
    @Test(arguments: seeds("RAFT_POWER_LOSS_SEEDS", default: 100))
    func threeNodesLosingUnsyncedWrites(seed: UInt64) {
        var options = Simulation.Options()
        options.losesUnsyncedWrites = true
        run(seed: seed, nodeCount: 3, options: options, label: "power-loss", test: "threeNodesLosingUnsyncedWrites")
    }

    @Test(arguments: seeds("RAFT_POWER_LOSS_SEEDS", default: 100))
    func fiveNodesLosingUnsyncedWrites(seed: UInt64) {
        var options = Simulation.Options()
        options.losesUnsyncedWrites = true
        run(seed: seed, nodeCount: 5, options: options, label: "power-loss", test: "fiveNodesLosingUnsyncedWrites")
    }

    /// Power loss matters only if it happens: across the default seeds, crashes tear saves and throw
    /// away unsynced writes (the commit index a `Ready` may write without an fsync).
    @Test func powerLossReallyLosesWrites() throws {
        var total = Simulation.Statistics()
        for seed in UInt64(1)...20 {
            var options = Simulation.Options()
            options.losesUnsyncedWrites = true
            var simulation = try Simulation(seed: seed, nodeCount: 3, options: options)
            do {
                try simulation.run()
            } catch {
                Issue.record("power-loss 3-node simulation with seed \(seed) failed: \(error)")
                continue
            }
            total.tornSaves += simulation.statistics.tornSaves
            total.lostWrites += simulation.statistics.lostWrites
            total.crashes += simulation.statistics.crashes
        }
        #expect(total.crashes > 20 && total.tornSaves > 0 && total.lostWrites > 0, "\(total)")
    }

    /// Runs one seed; a failure names the seed and the command that replays it.
    private func run(seed: UInt64, nodeCount: Int, options: Simulation.Options, label: String, test: String) {
        do {
            var simulation = try Simulation(seed: seed, nodeCount: nodeCount, options: options)
            try simulation.run()
            if ProcessInfo.processInfo.environment["RAFT_SEED"] != nil {
                print("\(label) \(nodeCount) nodes, seed \(seed): \(simulation.statistics)")
            }
        } catch {
            Issue.record("""
                \(label) \(nodeCount)-node simulation with seed \(seed) failed: \(error)
                replay: RAFT_SEED=\(seed) swift test --filter RaftSimulation/\(test)
                """)
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
