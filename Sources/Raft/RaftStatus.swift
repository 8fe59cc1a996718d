/// A node's state at one moment, for logs, status pages and tests.
public struct RaftStatus: Hashable, Sendable, CustomStringConvertible {
    /// The node's id.
    public var id: NodeID
    /// The latest term the node has seen.
    public var term: UInt64
    /// Whom the node voted for in `term`.
    public var vote: NodeID?
    /// The leader of `term`, if known.
    public var leader: NodeID?
    /// The node's role.
    public var role: RaftRole
    /// The highest committed index.
    public var commitIndex: UInt64
    /// The highest index the application applied.
    public var appliedIndex: UInt64
    /// The first index held in the log (the one after the snapshot).
    public var firstIndex: UInt64
    /// The last index in the log.
    public var lastIndex: UInt64
    /// The index of the latest snapshot (0 without one).
    public var snapshotIndex: UInt64

    public var description: String {
        "node \(id) \(role) term \(term) leader \(leader.map(String.init) ?? "-") "
            + "log \(firstIndex)...\(lastIndex) commit \(commitIndex) applied \(appliedIndex)"
    }
}
