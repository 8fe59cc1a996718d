import CoreMetrics

/// The metrics Weft's nodes record, by their Prometheus names (documented in docs/operations.md).
///
/// Each accessor makes a swift-metrics object through the factory bootstrapped at that moment, so call
/// them after ``WeftMetrics/bootstrap()`` (a node does so at start) and keep the result: with the
/// Prometheus backend, objects of the same name and dimensions share one time series.
public enum WeftMetrics {
    /// Prometheus metric names.
    public enum Name {
        /// Counter: proposals a peer simulated and signed.
        public static let proposalsEndorsed = "weft_proposals_endorsed_total"
        /// Counter with dimension `code`: transactions a peer validated, by validation code name.
        public static let transactionsValidated = "weft_transactions_validated_total"
        /// Gauge: the peer's or orderer's ledger height (number of blocks).
        public static let blockHeight = "weft_block_height"
        /// Histogram (Timer) with dimension `stage`: time a block spent in each commit stage.
        public static let blockCommitSeconds = "weft_block_commit_seconds"
        /// Gauge: the orderer's current Raft term.
        public static let raftTerm = "weft_raft_term"
        /// Counter: how often this orderer saw the Raft leader change.
        public static let raftLeaderChanges = "weft_raft_leader_changes_total"
        /// Gauge: connections to other nodes that are up.
        public static let connectedPeers = "weft_connected_peers"
        /// Counter with dimension `status`: broadcast answers an orderer gave, by status name.
        public static let broadcasts = "weft_broadcast_total"
    }

    /// The stages of a block commit (the `stage` dimension of ``Name/blockCommitSeconds``), the same
    /// split as the committer's stage times.
    public enum CommitStage: String, Sendable, CaseIterable {
        /// Waiting for the order-independent checks: signatures, creators, endorsement policies.
        case signatureChecks = "signature_checks"
        /// The MVCC and phantom checks in block order.
        case mvcc
        /// The SQLite transaction that stores the block, its flags and its writes.
        case ledgerCommit = "ledger_commit"
    }

    /// Proposals endorsed.
    public static func proposalsEndorsed() -> Counter {
        Counter(label: Name.proposalsEndorsed)
    }

    /// Transactions validated with the validation code named `code` (e.g. `VALID`, `MVCC_READ_CONFLICT`).
    public static func transactionsValidated(code: String) -> Counter {
        Counter(label: Name.transactionsValidated, dimensions: [("code", code)])
    }

    /// Ledger height.
    public static func blockHeight() -> Gauge {
        Gauge(label: Name.blockHeight)
    }

    /// Time spent in one commit stage per block.
    public static func blockCommitTime(stage: CommitStage) -> CoreMetrics.Timer {
        CoreMetrics.Timer(label: Name.blockCommitSeconds, dimensions: [("stage", stage.rawValue)])
    }

    /// Current Raft term.
    public static func raftTerm() -> Gauge {
        Gauge(label: Name.raftTerm)
    }

    /// Raft leader changes seen.
    public static func raftLeaderChanges() -> Counter {
        Counter(label: Name.raftLeaderChanges)
    }

    /// Connections to other nodes that are up.
    public static func connectedPeers() -> Gauge {
        Gauge(label: Name.connectedPeers)
    }

    /// Broadcast answers with the status named `status` (e.g. `SUCCESS`, `SERVICE_UNAVAILABLE`).
    public static func broadcasts(status: String) -> Counter {
        Counter(label: Name.broadcasts, dimensions: [("status", status)])
    }
}
