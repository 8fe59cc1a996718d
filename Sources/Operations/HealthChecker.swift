/// A component whose health `GET /healthz` reports, like Fabric's `healthz.HealthChecker`.
///
/// A check returns normally when the component serves and throws when it does not; the error's
/// description becomes the `reason` of the failed check (throw ``HealthCheckFailure`` to word it). A
/// check should be quick and must honour task cancellation: it is cancelled when it exceeds the
/// registry's timeout.
public protocol HealthChecker: Sendable {
    /// Returns when healthy; throws the reason when not.
    func checkHealth() async throws
}

/// A failed health check's reason, e.g. `HealthCheckFailure("no orderer reachable: orderer0 refused")`.
public struct HealthCheckFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why the component does not serve.
    public let reason: String

    /// A failure with its reason.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// A health check made of a closure.
public struct ClosureHealthChecker: HealthChecker {
    private let check: @Sendable () async throws -> Void

    /// A checker that runs `check`.
    public init(_ check: @escaping @Sendable () async throws -> Void) {
        self.check = check
    }

    public func checkHealth() async throws {
        try await check()
    }
}

/// One failed check in a health report: the component and why.
public struct FailedHealthCheck: Codable, Equatable, Sendable {
    /// The component's registered name, e.g. `orderer`, `ledger`.
    public let component: String
    /// The error the check threw, or a timeout.
    public let reason: String

    /// A failed check.
    public init(component: String, reason: String) {
        self.component = component
        self.reason = reason
    }
}

/// The outcome of running every registered check.
public struct HealthReport: Equatable, Sendable {
    /// The checks that failed, ordered by component name. Empty when the node serves.
    public let failedChecks: [FailedHealthCheck]

    /// Whether every check passed.
    public var isHealthy: Bool { failedChecks.isEmpty }

    /// A report of these failures.
    public init(failedChecks: [FailedHealthCheck]) {
        self.failedChecks = failedChecks
    }
}
