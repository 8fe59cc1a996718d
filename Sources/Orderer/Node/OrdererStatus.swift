import Raft

/// One orderer's state at a moment, for `weft network status`, logs and tests.
public struct OrdererStatus: Hashable, Sendable, CustomStringConvertible {
    /// The node's Raft id.
    public var id: NodeID
    /// Its Raft role.
    public var role: RaftRole
    /// Its current Raft term.
    public var term: UInt64
    /// The leader it knows of.
    public var leader: NodeID?
    /// Its durable chain: height and last header hash.
    public var tip: ChainTip
    /// Raft's commit, applied and snapshot indices.
    public var commitIndex: UInt64
    public var appliedIndex: UInt64
    public var snapshotIndex: UInt64
    /// Whether it is fetching blocks it missed (its Raft snapshot is ahead of its block store).
    public var isCatchingUp: Bool
    /// Raft's last log index.
    public var lastIndex: UInt64 = 0
    /// Envelopes accepted by this leader and not yet proposed in a block (0 on a follower).
    public var pendingEnvelopes: Int
    /// Blocks this leader proposed and has not applied yet (0 on a follower).
    public var proposalsInFlight = 0
    /// Whether the node stopped (or failed).
    public var isStopped: Bool

    public var description: String {
        "orderer \(id) \(role) term \(term) leader \(leader.map(String.init) ?? "-") \(tip) "
            + "commit \(commitIndex) applied \(appliedIndex) snapshot \(snapshotIndex)"
            + (isCatchingUp ? " catching up" : "") + (isStopped ? " stopped" : "")
    }
}
