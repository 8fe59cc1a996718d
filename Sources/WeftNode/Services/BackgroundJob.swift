import ServiceLifecycle

/// A node's job that runs for as long as the process does (the TLS certificate watch, metrics
/// sampling, ledger retention) as a service: cancelled on a graceful shutdown; a job that ends before
/// that is a `ComponentFailure`.
struct BackgroundJob: Service, CustomStringConvertible {
    /// What the job does, for the log line of its failure.
    let description: String
    let work: @Sendable () async -> Void

    init(_ description: String, work: @escaping @Sendable () async -> Void) {
        self.description = description
        self.work = work
    }

    func run() async throws {
        await cancelWhenGracefulShutdown(work)
        guard Task.isShuttingDownGracefully || Task.isCancelled else {
            throw ComponentFailure(component: description, reason: "it stopped by itself")
        }
    }
}
