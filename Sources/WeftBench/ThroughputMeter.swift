#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import NIOConcurrencyHelpers
import WeftCore

/// Measures how many operations per second a closure sustains on one or more threads.
enum ThroughputMeter {
    /// What a measurement found.
    struct Measurement {
        /// Operations per wall-clock second, all threads together.
        let perSecond: Double
        /// Operations per CPU-second of each thread, summed over the threads — the divisor `openssl
        /// speed` uses (CPU time), so that background load on a shared machine does not count.
        let perCPUSecond: Double
        /// Operations that returned false.
        let failures: Int
    }

    /// Runs `operation` in a loop on `threads` threads for `seconds`.
    ///
    /// Every thread starts at the same instant and stops at the same deadline, so the wall-clock rate
    /// is the sum of what the threads did in parallel.
    static func measure(
        threads: Int,
        seconds: Double,
        operation: @escaping @Sendable () -> Bool
    ) -> Measurement {
        let results = ResultBox(threads: threads)
        let finished = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        for index in 0..<threads {
            finished.enter()
            DedicatedThread.start(stackSize: 1 << 20) {
                start.wait()
                let cpuBegan = threadCPUNanoseconds()
                let began = DispatchTime.now().uptimeNanoseconds
                let deadline = began + UInt64(seconds * 1e9)
                var count = 0
                var failures = 0
                var now = began
                while now < deadline {
                    if !operation() { failures += 1 }
                    count += 1
                    now = DispatchTime.now().uptimeNanoseconds
                }
                let cpu = threadCPUNanoseconds() - cpuBegan
                results.record(index: index, count: count, failures: failures, wall: now - began, cpu: cpu)
                finished.leave()
            }
        }
        for _ in 0..<threads { start.signal() }
        finished.wait()
        return results.total()
    }

    /// CPU time this thread has used, in nanoseconds.
    private static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Per-thread results.
    ///
    /// `@unchecked Sendable`: each thread writes only its own slot, under `lock`, and the totals are
    /// read after every thread has finished.
    private final class ResultBox: @unchecked Sendable {
        private let lock = NIOLock()
        private var counts: [Int]
        private var failures: [Int]
        private var wall: [UInt64]
        private var cpu: [UInt64]

        init(threads: Int) {
            counts = Array(repeating: 0, count: threads)
            failures = Array(repeating: 0, count: threads)
            wall = Array(repeating: 1, count: threads)
            cpu = Array(repeating: 1, count: threads)
        }

        func record(index: Int, count: Int, failures failed: Int, wall wallElapsed: UInt64, cpu cpuElapsed: UInt64) {
            lock.lock()
            counts[index] = count
            failures[index] = failed
            wall[index] = max(wallElapsed, 1)
            cpu[index] = max(cpuElapsed, 1)
            lock.unlock()
        }

        func total() -> Measurement {
            lock.lock()
            defer { lock.unlock() }
            var perSecond = 0.0
            var perCPUSecond = 0.0
            for index in counts.indices {
                perSecond += Double(counts[index]) / (Double(wall[index]) / 1e9)
                perCPUSecond += Double(counts[index]) / (Double(cpu[index]) / 1e9)
            }
            return Measurement(perSecond: perSecond, perCPUSecond: perCPUSecond, failures: failures.reduce(0, +))
        }
    }
}
