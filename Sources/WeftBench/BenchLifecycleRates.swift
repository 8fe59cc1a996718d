#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import WeftNode

/// What runs in a loop beside the commits `weft bench lifecycle` measures.
enum LifecycleBackground: Sendable {
    /// Snapshots of the ledger, one after the other, with this pacing.
    case snapshots(BackgroundPacing)
    /// Online backups, one after the other, with this pacing.
    case backups(BackgroundPacing)
    /// Automatic pruning as a peer with `retainBlocks` runs it: steps of at most 256 blocks, the file
    /// left to shrink at the next checkpoint (`LedgerMaintenance.pruneStep` without the archive), with
    /// this pacing; never at or above block `below` (as if the latest snapshot were there, under
    /// `requireSnapshotBeforePrune`), so the rounds leave the final prune its share.
    case pruning(retainBlocks: UInt64, below: UInt64, BackgroundPacing)

    var label: String {
        switch self {
        case .snapshots(let pacing): "snapshots" + (pacing == .unpaced ? " (unpaced)" : "")
        case .backups(let pacing): "backups" + (pacing == .unpaced ? " (unpaced)" : "")
        case .pruning(_, _, let pacing): "background pruning" + (pacing == .unpaced ? " (unpaced)" : "")
        }
    }
}

/// Commit rates of one ledger alone and with a background task, measured in alternated pairs: each
/// pair commits `measure` blocks of 500 updates alone, then `measure` blocks with the task running.
struct LifecycleCommitRates {
    /// One pair's rates, in transactions per second.
    struct Pair {
        var alone: Double
        var during: Double
        /// Snapshots or backups completed while the commits ran, or blocks pruned meanwhile.
        var backgroundWork: UInt64
    }

    let ledger: Ledger
    let folder: String
    let measure: Int

    /// `rounds` alternated pairs for `background`.
    func pairs(_ rounds: Int, _ background: LifecycleBackground, _ workload: inout BenchLedgerWorkload) throws -> [Pair] {
        try (0..<rounds).map { _ throws -> Pair in
            let alone = try rate(&workload).rate
            let during = try rate(&workload, during: background)
            return Pair(alone: alone, during: during.rate, backgroundWork: during.work)
        }
    }

    /// Commits `count` blocks of 500 updates.
    static func commitUpdates(_ count: Int, into ledger: Ledger, _ workload: inout BenchLedgerWorkload) throws {
        for _ in 0..<count {
            let (transactions, _) = workload.updateTransactions()
            try ledger.commitNext(data: transactions.map { workload.envelope(for: $0) }, transactions: transactions)
        }
    }

    /// Transactions per second over `measure` blocks, with `background` run in a loop meanwhile (it
    /// ends its current round after the commits, outside the measured time), and the work it did.
    /// Each measurement starts from an empty WAL and ends with a checkpoint that is counted: a
    /// background reader keeps the WAL from being checkpointed past its view, which would otherwise
    /// move that work from the window beside it into the next one.
    private func rate(_ workload: inout BenchLedgerWorkload, during background: LifecycleBackground? = nil) throws -> (rate: Double, work: UInt64) {
        let stop = StopFlag()
        let finished = ThreadCondition()
        let done = StopFlag()
        let work = WorkCounter()
        if let background {
            let round = backgroundRound(background)
            DedicatedThread.start(name: "bench-background") {
                var index = 0
                while !stop.isSet {
                    if let units = try? round(index, stop) { work.add(units, counted: !stop.isSet) }
                    index += 1
                }
                finished.lock()
                done.set()
                finished.signal()
                finished.unlock()
            }
        }
        try ledger.checkpoint()
        let prunedAtStart = try ledger.retention().prunedBelow
        let commitSeconds = try Self.timed { try Self.commitUpdates(measure, into: ledger, &workload) }
        stop.set()
        let pruned = try ledger.retention().prunedBelow - prunedAtStart
        if background != nil {
            finished.lock()
            while !done.isSet { finished.wait() }
            finished.unlock()
        }
        let seconds = try commitSeconds + Self.timed { try ledger.checkpoint() }
        let completed = if case .pruning? = background { pruned } else { work.total }
        return (Double(measure * BenchLedgerWorkload.transactionsPerBlock) / seconds, completed)
    }

    /// One round of `background`; returns the work done in it (1 per snapshot or backup).
    private func backgroundRound(_ background: LifecycleBackground) -> @Sendable (Int, StopFlag) throws -> UInt64 {
        let ledger = ledger
        let folder = folder
        switch background {
        case .snapshots(let pacing):
            return { index, _ in
                let path = folder + "/loop-snapshot-\(index)"
                defer { try? FileManager.default.removeItem(atPath: path) }
                _ = try ledger.exportSnapshot(channel: "bench", to: path, pacing: pacing)
                return 1
            }
        case .backups(let pacing):
            return { index, _ in
                let path = folder + "/loop-backup-\(index).sqlite"
                defer { try? FileManager.default.removeItem(atPath: path) }
                _ = try ledger.backup(to: path, pacing: pacing)
                return 1
            }
        case .pruning(let retainBlocks, let below, let pacing):
            let policy = LedgerRetention(retainBlocks: retainBlocks, requireSnapshotBeforePrune: true, archive: false)
            return { _, stop in
                let prunedBelow = try ledger.retention().prunedBelow
                guard let next = policy.nextPrune(height: ledger.chainInfo.height, prunedBelow: prunedBelow,
                                                     latestSnapshot: below, chunk: 256) else {
                    // Nothing left to prune: wait as the peer does between looks (500 ms), in short naps.
                    for _ in 0..<50 where !stop.isSet { usleep(10_000) }
                    return 0
                }
                _ = try ledger.prune(before: next, truncateFile: false, pacing: pacing)
                return 0
            }
        }
    }

    /// Seconds `body` took.
    static func timed(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = (ContinuousClock.now - start).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// The middle value (the upper one of an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

/// A flag set once, read from another thread.
final class StopFlag: @unchecked Sendable {
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

/// Work a background task finished while the measured commits ran.
private final class WorkCounter: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched under `condition`.
    private let condition = ThreadCondition()
    private var value: UInt64 = 0
    var total: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return value
    }
    /// Adds `units` when `counted` (the round ended before the commits did).
    func add(_ units: UInt64, counted: Bool) {
        guard counted else { return }
        condition.lock()
        value += units
        condition.unlock()
    }
}
