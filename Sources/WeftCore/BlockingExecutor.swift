#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place a node's blocking work runs: SQLite reads and commits, fsyncs, batches of ECDSA
/// checks, TLS certificate checks. A pool of threads of its own, started on demand up to `maxThreads`
/// and parked when idle, with one FIFO queue of jobs — so Swift's cooperative threads (as many as
/// cores) and NIO's event loops never wait on a disk or a long computation, and callers just `await`.
///
/// No job may wait for another job (that could take every thread); work that must run in order uses a
/// ``SerialLane`` instead of waiting. Bound what one caller can queue (connection limits, reader
/// permits) before it gets here: the queue itself is unbounded.
public final class BlockingExecutor: BlockingJobQueue, @unchecked Sendable {
    // @unchecked Sendable: `jobs`, `head`, `threads`, `idle` and `claimed` are only touched under
    // `condition`.

    /// The process's executor: two threads per core and two more, since its jobs mostly compute
    /// (ECDSA, SQLite reads from memory) and a few wait on a disk (fsync) or rest (paced backups). More
    /// threads than that would not finish the work sooner; they would add context switches and, since
    /// every thread that allocates gets a malloc arena of its own, resident memory.
    /// `WEFT_BLOCKING_THREADS` overrides the number (docs/operations.md).
    public static let shared = BlockingExecutor(name: "weft-blocking", maxThreads: configuredThreads ?? 2 * onlineCores + 2)

    /// `WEFT_BLOCKING_THREADS`, when it is a positive number.
    private static var configuredThreads: Int? {
        guard let text = getenv("WEFT_BLOCKING_THREADS"), let threads = Int(String(cString: text)), threads > 0 else { return nil }
        return threads
    }

    /// The cores this process may run on now.
    private static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The most threads it starts.
    public let maxThreads: Int
    private let name: String
    private let condition = ThreadCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var threads = 0
    /// Threads parked waiting for a job.
    private var idle = 0
    /// Parked threads already signalled for a job, so a burst of submits wakes one thread each.
    private var claimed = 0

    /// An executor whose threads are named `name` (for `top -H`), at most `maxThreads` of them.
    public init(name: String, maxThreads: Int) {
        self.name = name
        self.maxThreads = max(1, maxThreads)
    }

    /// Runs `job` on one of the executor's threads, after the jobs queued before it have started.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        var startThread = false
        if idle > claimed {
            claimed += 1
            condition.signal()
        } else if threads < maxThreads {
            threads += 1
            startThread = true
        }
        condition.unlock()
        if startThread { DedicatedThread.start(name: name) { [self] in work() } }
    }

    /// Threads started so far (they park when idle and are kept).
    public var threadCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return threads
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count {
                idle += 1
                condition.wait()
                idle -= 1
                claimed = max(0, min(claimed - 1, idle))
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count || head >= 1024 {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}

/// Somewhere blocking jobs run: the ``BlockingExecutor`` or one of its ``SerialLane``s.
public protocol BlockingJobQueue: Sendable {
    /// Queues `job`; it runs on a thread of the executor.
    func submit(_ job: @escaping @Sendable () -> Void)
}

extension BlockingJobQueue {
    /// Runs `work` as a job and returns its result; the calling task is suspended meanwhile, not its
    /// thread. The work runs to its end even when the calling task is cancelled (pass a cancellable
    /// budget into it to stop it early).
    public func run<Result: Sendable, Failure: Error>(
        _ work: @escaping @Sendable () throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        let outcome: Swift.Result<Result, Failure> = await withUnsafeContinuation { continuation in
            submit {
                do throws(Failure) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try outcome.get()
    }
}
