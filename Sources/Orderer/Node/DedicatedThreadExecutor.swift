import Foundation

/// A serial executor that runs its jobs, in order, on one thread of its own.
///
/// An ordering node blocks on fsync several times per block (Raft log, block store). On Swift's
/// cooperative pool — one thread per core, two on a small machine — that would stall every other task
/// of the process, broadcast signature checks included; on its own thread it stalls only the node.
/// The thread ends when the executor is freed (with the actor that owns it).
///
/// `@unchecked Sendable`: the job queue is only touched under its condition's lock.
final class DedicatedThreadExecutor: SerialExecutor, @unchecked Sendable {
    private let queue: JobQueue

    /// Starts the executor's thread, named `name` for debuggers.
    init(name: String) {
        queue = JobQueue()
        queue.executor = UnownedSerialExecutor(ordinary: self)
        let queue = self.queue
        let thread = Thread { queue.run() }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }

    deinit { queue.close() }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// The jobs waiting for the thread.
    ///
    /// `@unchecked Sendable`: `jobs` and `closed` are only touched with `condition` held; `executor` is
    /// set once before the thread starts.
    private final class JobQueue: @unchecked Sendable {
        private let condition = NSCondition()
        private var jobs: [UnownedJob] = []
        private var closed = false
        /// Unowned: a pending job keeps its actor — and so the executor — alive; once the executor is
        /// freed, no job remains and the thread ends without touching it.
        var executor: UnownedSerialExecutor?

        func push(_ job: UnownedJob) {
            condition.lock()
            jobs.append(job)
            condition.signal()
            condition.unlock()
        }

        func close() {
            condition.lock()
            closed = true
            condition.signal()
            condition.unlock()
        }

        func run() {
            while true {
                condition.lock()
                while jobs.isEmpty, !closed { condition.wait() }
                if jobs.isEmpty {
                    condition.unlock()
                    return
                }
                let batch = jobs
                jobs = []
                condition.unlock()
                guard let executor else { return }
                for job in batch { job.runSynchronously(on: executor) }
            }
        }
    }
}
