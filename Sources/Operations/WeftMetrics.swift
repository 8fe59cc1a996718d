import CoreMetrics

/// The metrics Weft's nodes record, by their Prometheus names (documented one by one in
/// docs/operations.md).
///
/// Metric objects are made through the swift-metrics factory bootstrapped at that moment, so make them
/// after ``WeftMetrics/bootstrap()`` (a node does so first thing when it starts) and keep them: making
/// one looks its series up in the registry under a lock, recording into a kept one is an atomic add
/// (counters, gauges) or a short lock (histograms). Without a bootstrap every object is swift-metrics'
/// no-op.
public enum WeftMetrics {
    /// Prometheus metric names.
    public enum Name {
        // MARK: RPC server (peers and orderers)
        /// Counter with dimensions `route`, `status`: calls the RPC server answered (`ok` or the error code).
        public static let rpcRequests = "weft_rpc_requests_total"
        /// Histogram with dimension `route`: time from a unary call's arrival to its answer.
        public static let rpcRequestDuration = "weft_rpc_request_duration_seconds"
        /// Gauge with dimensions `org`, `role`: authenticated connections open.
        public static let rpcConnections = "weft_rpc_connections"
        /// Counter with dimension `reason`: connections closed before or during their TLS handshake.
        public static let rpcHandshakeFailures = "weft_rpc_handshake_failures_total"
        /// Gauge with dimension `route`: server streams open.
        public static let rpcStreams = "weft_rpc_streams"

        // MARK: Peer
        /// Counter: endorsement proposals the peer received.
        public static let proposalsReceived = "weft_proposals_received_total"
        /// Counter with dimension `reason`: proposals answered without an endorsement.
        public static let proposalsRefused = "weft_proposals_refused_total"
        /// Counter: proposals a peer simulated and signed.
        public static let proposalsEndorsed = "weft_proposals_endorsed_total"
        /// Histogram: time to check, simulate and sign one endorsed proposal.
        public static let endorsementDuration = "weft_endorsement_duration_seconds"
        /// Histogram: time a block's validation held its commit up (waiting for signature and policy
        /// checks, then MVCC).
        public static let blockValidationDuration = "weft_block_validation_duration_seconds"
        /// Histogram: time of the SQLite transaction that stores a block and its state writes.
        public static let stateCommitDuration = "weft_state_commit_duration_seconds"
        /// Histogram (Timer) with dimension `stage`: time a block spent in each commit stage.
        public static let blockCommitSeconds = "weft_block_commit_seconds"
        /// Histogram: transactions per committed block.
        public static let blockTransactions = "weft_block_transactions"
        /// Counter with dimensions `code`, `chaincode`: transactions a peer validated.
        public static let transactionsValidated = "weft_transactions_validated_total"
        /// Counter with dimension `kind` (`read`, `phantom`): transactions invalidated by MVCC.
        public static let mvccConflicts = "weft_mvcc_conflicts_total"
        /// Gauge: the ledger's SQLite file size.
        public static let ledgerFileBytes = "weft_ledger_file_bytes"
        /// Gauge: the ledger's SQLite write-ahead log size.
        public static let ledgerWALBytes = "weft_ledger_wal_bytes"
        /// Gauge: commit-event streams open.
        public static let commitEventSubscribers = "weft_commit_event_subscribers"
        /// Gauge: the peer's or orderer's ledger height (number of blocks).
        public static let blockHeight = "weft_block_height"
        /// Gauge: connections to other nodes that are up (a peer: its deliver stream; an orderer: the
        /// other orderers it reaches).
        public static let connectedPeers = "weft_connected_peers"

        // MARK: Orderer
        /// Counter with dimension `status`: broadcast answers an orderer gave, by status name.
        public static let broadcasts = "weft_broadcast_total"
        /// Counter with dimension `reason` (`count`, `bytes`, `timeout`, `leader_change`): batches cut.
        public static let blocksCut = "weft_blocks_cut_total"
        /// Histogram: envelopes per block cut.
        public static let blockEnvelopes = "weft_block_envelopes"
        /// Histogram: time from the leader accepting an envelope to the block that holds it being written.
        public static let broadcastToBlockDuration = "weft_broadcast_to_block_duration_seconds"
        /// Gauge: envelopes accepted by the leader and not yet in a proposed block.
        public static let pendingEnvelopes = "weft_orderer_pending_envelopes"
        /// Gauge: the orderer's current Raft term.
        public static let raftTerm = "weft_raft_term"
        /// Counter: how often this orderer saw the Raft leader change.
        public static let raftLeaderChanges = "weft_raft_leader_changes_total"
        /// Gauge: 1 when this orderer leads, else 0.
        public static let raftIsLeader = "weft_raft_is_leader"
        /// Gauge: blocks this leader proposed through Raft and has not applied yet.
        public static let raftProposalsInFlight = "weft_raft_proposals_in_flight"
        /// Gauge: Raft entries in the log and not yet committed (last index − commit index).
        public static let raftCommitLag = "weft_raft_commit_lag"
        /// Gauge: Raft entries committed and not yet applied (commit index − applied index).
        public static let raftApplyLag = "weft_raft_apply_lag"
        /// Gauge: deliver streams open.
        public static let deliverStreams = "weft_deliver_streams"
        /// Gauge: Raft messages waiting to be sent to one other orderer (`destination`): grows when the
        /// link is slower than Raft produces (a WAN link, a stalled peer).
        public static let raftOutboxMessages = "weft_raft_outbox_messages"
        /// Counter: Raft messages dropped because the outbox to one other orderer was full (Raft resends).
        public static let raftOutboxDropped = "weft_raft_outbox_dropped_total"

        // MARK: Process (the names every Prometheus client library uses)
        /// Counter: user and system CPU time.
        public static let processCPUSeconds = "process_cpu_seconds_total"
        /// Gauge: resident memory.
        public static let processResidentMemory = "process_resident_memory_bytes"
        /// Gauge: open file descriptors.
        public static let processOpenFDs = "process_open_fds"
        /// Gauge: process start, seconds since the Unix epoch.
        public static let processStartTime = "process_start_time_seconds"

        /// Every name above: what docs/operations.md lists and a dashboard may query.
        public static let all: [String] = [
            rpcRequests, rpcRequestDuration, rpcConnections, rpcHandshakeFailures, rpcStreams,
            proposalsReceived, proposalsRefused, proposalsEndorsed, endorsementDuration, blockValidationDuration,
            stateCommitDuration, blockCommitSeconds, blockTransactions, transactionsValidated, mvccConflicts,
            ledgerFileBytes, ledgerWALBytes, commitEventSubscribers, blockHeight, connectedPeers,
            broadcasts, blocksCut, blockEnvelopes, broadcastToBlockDuration, pendingEnvelopes, raftTerm,
            raftLeaderChanges, raftIsLeader, raftProposalsInFlight, raftCommitLag, raftApplyLag, deliverStreams,
            raftOutboxMessages, raftOutboxDropped, processCPUSeconds, processResidentMemory, processOpenFDs, processStartTime,
        ]
        /// The names that are histograms (exposed as `_bucket`, `_sum` and `_count` series).
        public static let histograms: Set<String> = [
            rpcRequestDuration, endorsementDuration, blockValidationDuration, stateCommitDuration,
            blockCommitSeconds, blockTransactions, blockEnvelopes, broadcastToBlockDuration,
        ]
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

    /// Transactions of `chaincode` validated with the validation code named `code` (e.g. `VALID`,
    /// `MVCC_READ_CONFLICT`).
    public static func transactionsValidated(code: String, chaincode: String) -> Counter {
        Counter(label: Name.transactionsValidated, dimensions: [("code", code), ("chaincode", chaincode)])
    }

    /// Ledger height.
    public static func blockHeight(channel: String) -> Gauge {
        Gauge(label: Name.blockHeight, dimensions: [("channel", channel)])
    }

    /// Time spent in one commit stage per block.
    public static func blockCommitTime(stage: CommitStage) -> CoreMetrics.Timer {
        CoreMetrics.Timer(label: Name.blockCommitSeconds, dimensions: [("stage", stage.rawValue)])
    }

    /// Current Raft term.
    public static func raftTerm(channel: String) -> Gauge {
        Gauge(label: Name.raftTerm, dimensions: [("channel", channel)])
    }

    /// Raft leader changes seen.
    public static func raftLeaderChanges(channel: String) -> Counter {
        Counter(label: Name.raftLeaderChanges, dimensions: [("channel", channel)])
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
