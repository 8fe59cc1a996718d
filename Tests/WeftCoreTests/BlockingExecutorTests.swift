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

    @Test func jobsRunInParallelUpToTheThreadBound() async throws {
        let executor = BlockingExecutor(name: "test-bound", maxThreads: 3)
        let gauge = ConcurrencyGauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    await executor.run {
                        gauge.enter()
                        usleep(20_000)
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
    private let lock = NSLock()
    private var current = 0
    private var highest = 0
    func enter() { lock.withLock { current += 1; highest = max(highest, current) } }
    func leave() { lock.withLock { current -= 1 } }
    var peak: Int { lock.withLock { highest } }
}

/// The order jobs ran in.
private final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Int] = []
    func append(_ value: Int) { lock.withLock { log.append(value) } }
    var values: [Int] { lock.withLock { log } }
}
