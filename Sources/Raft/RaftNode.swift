/// One member of a Raft cluster as a deterministic state machine: no clock, socket, disk or hidden
/// randomness. Time arrives as `tick()`, messages as `step(_:)`, proposals as `propose(_:)`; everything
/// the node wants done comes back as a `Ready` (persist, send, apply), acknowledged with `advance(_:)`.
///
/// A driver (an actor in the orderer) owns the node and a `RaftStorage`:
///
/// ```swift
/// var node = try RaftNode(configuration: config, restoring: storage.load(), random: SplitMix64(seed: seed))
/// // on every tick, received message or proposal:
/// while let ready = node.ready() {
///     try storage.save(ready)          // 1. persist (fsync)
///     transport.send(ready.messages)   // 2. send
///     apply(ready)                     // 3. restore the snapshot, apply committed entries
///     node.advance(ready)              // 4. acknowledge
/// }
/// ```
///
/// Leader election uses pre-vote and randomized timeouts, replication repairs conflicting logs with
/// fast backtracking, a leader commits only entries of its own term by counting replicas (figure 8),
/// and followers that fall behind the compacted log receive the leader's snapshot.
public struct RaftNode: Sendable {
    /// How the node runs; `voters` are the cluster's members as the log says now (membership entries
    /// take effect when appended: `RaftNode+Membership`).
    public internal(set) var configuration: RaftConfiguration
    /// The other voters, in ascending order (iteration order is part of the node's determinism).
    var peers: [NodeID]
    /// The voters before the first membership entry in the log (the snapshot's, or the configuration's).
    var baseVoters: [NodeID]
    /// The membership entries in the log after the snapshot, in log order.
    var membershipChanges: [MembershipChange] = []
    /// The latest term this node has seen.
    public internal(set) var term: UInt64
    /// The candidate this node voted for in `term`.
    public internal(set) var vote: NodeID?
    /// The leader of `term` as far as this node knows.
    public internal(set) var leader: NodeID?
    /// This node's role.
    public internal(set) var role: RaftRole = .follower

    var log: RaftLog
    /// The leader's view of each follower (leader only).
    var progress: [NodeID: Progress] = [:]
    /// The answers to this node's current (pre-)campaign: true granted, false rejected.
    var votes: [NodeID: Bool] = [:]
    /// The node this leader is handing its leadership to, if a transfer is under way.
    var leadTransferee: NodeID?
    var electionElapsed = 0
    var heartbeatElapsed = 0
    var randomizedElectionTimeout = 0
    /// Messages produced since the last `Ready`.
    var outbox: [Message] = []
    var random: any RandomNumberGenerator & Sendable

    /// The hard and soft state last handed out in a `Ready`, to report only changes.
    var reportedHardState: HardState
    var reportedSoftState: SoftState
    /// Whether a `Ready` was handed out and not advanced yet.
    var readyOutstanding = false

    /// Creates a node, fresh or restarting from what its storage persisted.
    ///
    /// - Parameters:
    ///   - configuration: the node's id, the voters and the timeouts.
    ///   - state: what the storage persisted (`RaftStorage.load()`); empty for a new node.
    ///   - applied: the last index the application has durably applied, if it keeps its own state (the
    ///     orderer's block store); committed entries after it are handed out again. When nil (or older
    ///     than the snapshot), the application is restored from the snapshot first.
    ///   - random: the source of randomized election timeouts; seed it for reproducible runs.
    public init(
        configuration: RaftConfiguration, restoring state: PersistedState = .empty, applied: UInt64? = nil,
        random: some RandomNumberGenerator & Sendable
    ) throws(RaftError) {
        try configuration.validate()
        try state.validate()
        let snapshotIndex = state.snapshot?.index ?? 0
        if let applied, applied > state.lastIndex {
            throw .invalidPersistedState("the application applied \(applied), beyond the last entry \(state.lastIndex)")
        }
        let applied = applied ?? snapshotIndex
        self.configuration = configuration
        peers = configuration.voters.filter { $0 != configuration.id }.sorted()
        term = state.hardState.term
        vote = state.hardState.vote
        log = RaftLog(
            snapshot: state.snapshot, entries: state.entries,
            committed: max(state.hardState.commit, snapshotIndex, applied), applied: applied)
        self.random = random
        reportedHardState = state.hardState
        reportedSoftState = SoftState(leader: nil, role: .follower)
        baseVoters = state.snapshot.map(\.metadata.voters).flatMap { $0.isEmpty ? nil : $0 } ?? configuration.voters
        resetRandomizedElectionTimeout()
        reconcileMembership(appended: state.entries)
    }

    var id: NodeID { configuration.id }

    /// A snapshot of the node's state for logs, status pages and tests.
    public var status: RaftStatus {
        RaftStatus(
            id: id, term: term, vote: vote, leader: leader, role: role,
            commitIndex: log.committed, appliedIndex: log.applied,
            firstIndex: log.firstIndex, lastIndex: log.lastIndex, snapshotIndex: log.snapshotIndex)
    }

    /// The term of the entry at `index`, or nil when it was compacted away or does not exist.
    public func term(at index: UInt64) -> UInt64? { log.term(at: index) }

    /// The entries this node holds in memory from `index` on (for inspection and tests).
    public func entries(from index: UInt64) -> [Entry] {
        log.entries(from: max(index, log.firstIndex), maxBytes: .max) ?? []
    }

    /// Counts one unit of time: followers and candidates may start an election, a leader sends heartbeats.
    public mutating func tick() {
        if role == .leader { tickLeader() } else { tickElection() }
    }

    /// Proposes `data` for the log; only the leader accepts it. Returns the index the entry will have
    /// if it commits. A proposal can still be lost (the leader may lose its term): the caller waits for
    /// the entry to come back in `Ready.committedEntries` and retries otherwise.
    @discardableResult
    public mutating func propose(_ data: [UInt8]) throws(RaftError) -> UInt64 {
        try propose(batch: [data])
    }

    /// Proposes several entries at once (one broadcast for all of them). Returns the index of the last.
    @discardableResult
    public mutating func propose(batch: [[UInt8]]) throws(RaftError) -> UInt64 {
        guard role == .leader else { throw .notLeader(leader: leader) }
        if let leadTransferee {
            throw .proposalRejected("leadership is being transferred to node \(leadTransferee)")
        }
        guard !batch.isEmpty else { throw .proposalRejected("the batch is empty") }
        guard batch.allSatisfy({ !$0.isEmpty }) else { throw .proposalRejected("an entry's data is empty") }
        let first = log.lastIndex + 1
        appendAsLeader(batch.enumerated().map { offset, data in
            Entry(term: term, index: first + UInt64(offset), kind: .normal, data: data)
        })
        broadcastAppend()
        return log.lastIndex
    }

    /// Takes a snapshot of the application's state as of `index` (at most the applied index) and drops
    /// the log entries it covers. The caller then persists it with `RaftStorage.compact(to:)`.
    public mutating func compact(through index: UInt64, data: [UInt8]) throws(RaftError) -> Snapshot {
        let voters = voters(at: index)
        let snapshot = try log.compact(through: index, data: data, voters: voters.sorted())
        baseVoters = voters
        membershipChanges.removeAll { $0.index <= index }
        return snapshot
    }

    /// Queues a message for the next `Ready`.
    mutating func send(_ body: MessageBody, to peer: NodeID, term messageTerm: UInt64? = nil) {
        outbox.append(Message(from: id, to: peer, term: messageTerm ?? term, body: body))
    }

    mutating func resetRandomizedElectionTimeout() {
        let electionTicks = configuration.electionTicks
        randomizedElectionTimeout = electionTicks + Int.random(in: 0..<electionTicks, using: &random)
    }
}
