import Foundation
import Raft
import Testing

/// The WAN stall of docs/BENCHMARKS.md ("Separate hosts"): a follower across a 100 ms, lossy link
/// fell minutes behind its leader, because the transport sent one `Ready`'s messages per round trip
/// while the leader produced several per round trip. `WANSimulation` runs Raft over links that work
/// as the orderer's transport does (one call in flight per direction, each carrying what its
/// `RaftOutbox` holds). `WAN_SEEDS` seeds (default 8), each its own test case; `WAN_SEED=n` replays one.
@Suite struct WANReplicationTests {
    static func seeds() -> [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let single = environment["WAN_SEED"].flatMap(UInt64.init) { return [single] }
        let count = environment["WAN_SEEDS"].flatMap(UInt64.init) ?? 8
        return Array(1...max(count, 1))
    }

    /// A minute of blocks every 250 ms, 50 ± 10 ms each way to the far node, 1 % of traversals
    /// retransmitted and 0.5 % of calls lost: the far node commits every entry within a few round
    /// trips of the leader (a lost call costs its 2 s timeout), and all of them by the end.
    @Test(arguments: seeds())
    func farFollowerKeepsUpAcrossALossyWAN(seed: UInt64) throws {
        var simulation = try WANSimulation(seed: seed)
        let report = try simulation.run()
        let replay = "WAN_SEED=\(seed) swift test --filter WANReplicationTests"
        #expect(report.committedByLeader >= 200, "too little was ordered to measure (\(report)); \(replay)")
        #expect(report.committedByFarNode == report.committedByLeader, "the far node did not catch up: \(report); \(replay)")
        #expect(report.maxFarLagMilliseconds <= 3_000, "the far node fell behind: \(report); \(replay)")
    }

    /// The same with most calls across the WAN failing for a while would be a partition; here the
    /// far link simply loses a tenth of its calls: the far node still converges, with a longer lag.
    @Test func farFollowerConvergesWhenManyCallsFail() throws {
        var options = WANSimulation.Options()
        options.callFailureRate = 0.1
        var simulation = try WANSimulation(seed: 99, options: options)
        let report = try simulation.run()
        #expect(report.framesLost > 10, "\(report)")
        #expect(report.committedByFarNode == report.committedByLeader, "the far node did not catch up: \(report)")
        #expect(report.maxFarLagMilliseconds <= 10_000, "the far node fell behind: \(report)")
    }
}
