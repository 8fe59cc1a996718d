import NIOConcurrencyHelpers

/// The health checks of a node, run concurrently on every `GET /healthz`.
///
/// Components register while the node starts (`orderer` for a peer's link to the ordering service,
/// `raft` for an orderer's cluster, `ledger`, …) and may unregister when they stop. Each run starts
/// every check at once and gives each at most ``timeout``; a check still running then is cancelled and
/// reported as timed out.
public final class HealthRegistry: Sendable {
    /// How long one check may take before it counts as failed.
    public let timeout: Duration

    private let checkers = NIOLockedValueBox<[String: any HealthChecker]>([:])

    /// An empty registry (a node with no checks is healthy).
    public init(timeout: Duration = .seconds(2)) {
        self.timeout = timeout
    }

    /// Registers (or replaces) the check of `component`.
    public func register(component: String, checker: some HealthChecker) {
        checkers.withLockedValue { $0[component] = checker }
    }

    /// Registers (or replaces) the check of `component` given as a closure.
    public func register(component: String, check: @escaping @Sendable () async throws -> Void) {
        register(component: component, checker: ClosureHealthChecker(check))
    }

    /// Removes the check of `component`, if any.
    public func unregister(component: String) {
        _ = checkers.withLockedValue { $0.removeValue(forKey: component) }
    }

    /// The names of the registered components, sorted.
    public var components: [String] {
        checkers.withLockedValue { $0.keys.sorted() }
    }

    /// Runs every check concurrently and reports the failures, ordered by component.
    public func check() async -> HealthReport {
        let snapshot = checkers.withLockedValue { $0 }
        let timeout = self.timeout
        let failures = await withTaskGroup(of: FailedHealthCheck?.self) { group in
            for (component, checker) in snapshot {
                group.addTask { await Self.run(checker, component: component, timeout: timeout) }
            }
            var failures: [FailedHealthCheck] = []
            for await failure in group {
                if let failure { failures.append(failure) }
            }
            return failures
        }
        return HealthReport(failedChecks: failures.sorted { $0.component < $1.component })
    }

    private enum Outcome: Sendable {
        case healthy
        case failed(String)
        case timedOut
    }

    private static func run(_ checker: any HealthChecker, component: String, timeout: Duration) async -> FailedHealthCheck? {
        let outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    try await checker.checkHealth()
                    return .healthy
                } catch {
                    return .failed("\(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .timedOut
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            return first
        }
        switch outcome {
        case .healthy:
            return nil
        case .failed(let reason):
            return FailedHealthCheck(component: component, reason: reason)
        case .timedOut:
            return FailedHealthCheck(component: component, reason: "the health check did not answer within \(timeout)")
        }
    }
}
