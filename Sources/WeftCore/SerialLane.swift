/// Jobs on a ``BlockingExecutor`` that run one at a time, in the order they were submitted: a
/// node's writes and fsyncs of one file, a ledger's checkpoints. A lane holds no thread while it is
/// empty, and a long job delays only its own lane.
public final class SerialLane: BlockingJobQueue, @unchecked Sendable {
    // @unchecked Sendable: `queue` and `running` are only touched under `condition`.

    private let executor: BlockingExecutor
    private let condition = ThreadCondition()
    private var queue: [@Sendable () -> Void] = []
    private var running = false

    /// A lane on `executor` (the process's shared one by default).
    public init(on executor: BlockingExecutor = .shared) {
        self.executor = executor
    }

    /// Queues `job` behind every job submitted to this lane before it.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(job)
        let start = !running
        running = true
        condition.unlock()
        if start { executor.submit { [self] in drain() } }
    }

    /// Runs the queued jobs, then gives the thread back.
    private func drain() {
        while true {
            condition.lock()
            guard !queue.isEmpty else {
                running = false
                condition.unlock()
                return
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job() }
        }
    }
}
