import Foundation

/// Measures how many operations per second a closure sustains on one or more threads.
enum ThroughputMeter {
    /// Runs `operation` in a loop on `threads` threads for `seconds` and returns the total rate
    /// (operations per second, all threads together) and the number of operations that returned false.
    ///
    /// Every thread starts at the same instant and stops at the same deadline, so the rate is the sum
    /// of what the threads did in parallel.
    static func measure(
        threads: Int,
        seconds: Double,
        operation: @escaping @Sendable () -> Bool
    ) -> (perSecond: Double, failures: Int) {
        let results = ResultBox(threads: threads)
        let finished = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        for index in 0..<threads {
            finished.enter()
            let thread = Thread {
                start.wait()
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
                results.record(index: index, count: count, failures: failures, nanoseconds: now - began)
                finished.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for _ in 0..<threads { start.signal() }
        finished.wait()
        return results.total()
    }

    /// Per-thread results.
    ///
    /// `@unchecked Sendable`: each thread writes only its own slot, under `lock`, and the totals are
    /// read after every thread has finished.
    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int]
        private var failures: [Int]
        private var nanoseconds: [UInt64]

        init(threads: Int) {
            counts = Array(repeating: 0, count: threads)
            failures = Array(repeating: 0, count: threads)
            nanoseconds = Array(repeating: 1, count: threads)
        }

        func record(index: Int, count: Int, failures failed: Int, nanoseconds elapsed: UInt64) {
            lock.lock()
            counts[index] = count
            failures[index] = failed
            nanoseconds[index] = max(elapsed, 1)
            lock.unlock()
        }

        func total() -> (perSecond: Double, failures: Int) {
            lock.lock()
            defer { lock.unlock() }
            var rate = 0.0
            for index in counts.indices { rate += Double(counts[index]) / (Double(nanoseconds[index]) / 1e9) }
            return (rate, failures.reduce(0, +))
        }
    }
}
