/// Whether the committer is keeping up, for the node's health check (`/healthz`) and its log.
///
/// A failure is handled where it happens: the committer retries the block with backoff and goes back
/// to `.healthy` by itself once the cause (a full disk, a lock held by another process) is gone.
public enum CommitterHealth: Sendable, Equatable, CustomStringConvertible {
    /// Blocks commit, or none is waiting.
    case healthy
    /// Committing block `blockNumber` has failed `attempts` times in a row, most recently with
    /// `failure`; the committer keeps retrying it with backoff.
    case retrying(blockNumber: UInt64, attempts: Int, failure: CommitterError)

    /// Whether nothing is failing.
    public var isHealthy: Bool { self == .healthy }

    /// The same incident: healthy, or retrying the same block (whatever the attempt count).
    func isSameIncident(as other: CommitterHealth) -> Bool {
        switch (self, other) {
        case (.healthy, .healthy): true
        case let (.retrying(a, _, _), .retrying(b, _, _)): a == b
        default: false
        }
    }

    public var description: String {
        switch self {
        case .healthy: "committing"
        case let .retrying(number, attempts, failure): "commit of block \(number) failed \(attempts) time(s), retrying: \(failure)"
        }
    }
}
