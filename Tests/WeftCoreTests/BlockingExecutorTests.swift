import Foundation
import Testing
import WeftCore

/// The blocking executor runs jobs on threads of its own, at most `maxThreads` of them; a serial
/// lane runs its jobs one at a time in order; results and errors come back to the awaiting task.
@Suite struct BlockingExecutorTests {
    private struct Failure: Error, Equatable {}

    @Test func runReturnsTheResultAndRethrowsTheError() async throws {
        let executor = BlockingExecutor(name: "test-run", maxThreads: 2)
        #expect(await executor.run { 6 * 7 } == 42)
        await #expect(throws: Failure.self) { try await executor.run { () throws(Failure) -> Int in throw Failure() } }
    }

    /// No sleeps: each job stays inside until three jobs have been inside at once (a condition, with a
    /// one-minute hang guard), so three run in parallel however slowly the machine schedules the
    /// threads; a fourth thread would show as a peak above three.
    @Test func jobsRunInParallelUpToTheThreadBound() async throws {
        let executor = BlockingExecutor(name: "test-bound", maxThreads: 3)
        let gauge = ConcurrencyGauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    await executor.run {
                        gauge.enter()
                        _ = gauge.waitForPeak(3, hangGuard: 60)
                        gauge.leave()
                    }
                }
            }
        }
        #expect(gauge.peak == 3, "12 blocking jobs on 3 threads overlap 3 at a time")
        #expect(executor.threadCount == 3)
    }

    @Test func aSerialLaneRunsItsJobsOneAtATimeInOrder() async throws {
        let executor = BlockingExecutor(name: "test-lane", maxThreads: 4)
        let lane = SerialLane(on: executor)
        let gauge = ConcurrencyGauge()
        let order = OrderLog()
        for index in 0..<50 {
            lane.submit {
                gauge.enter()
                order.append(index)
                gauge.leave()
            }
        }
        await lane.run {}
        #expect(order.values == Array(0..<50))
        #expect(gauge.peak == 1)
    }
}

/// How many jobs ran at once, at most.
private final class ConcurrencyGauge: @unchecked Sendable {
    // `current` and `highest` are only touched under `condition`'s lock.
    private let condition = NSCondition()
    private var current = 0
    private var highest = 0

    func enter() {
        condition.lock()
        current += 1
        highest = max(highest, current)
        condition.broadcast()
        condition.unlock()
    }

    func leave() {
        condition.lock()
        current -= 1
        condition.unlock()
    }

    var peak: Int {
        condition.lock()
        defer { condition.unlock() }
        return highest
    }

    /// Blocks the calling (executor) thread until `peak` reaches `target`; false after `hangGuard` seconds.
    func waitForPeak(_ target: Int, hangGuard: Double) -> Bool {
        let deadline = Date().addingTimeInterval(hangGuard)
        condition.lock()
        defer { condition.unlock() }
        while highest < target {
            guard condition.wait(until: deadline) else { return highest >= target }
        }
        return true
    }
}

/// The order jobs ran in.
private final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Int] = []
    func append(_ value: Int) { lock.withLock { log.append(value) } }
    var values: [Int] { lock.withLock { log } }
}
