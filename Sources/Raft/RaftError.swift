/// Everything that can go wrong in the `Raft` module. Protocol-level surprises in messages (stale terms,
/// duplicates, bad indices) are not errors: a node ignores or answers them. These are for the caller.
public enum RaftError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration cannot run (`RaftConfiguration.validate()`).
    case invalidConfiguration(String)
    /// Only the leader accepts proposals; `leader` is the node to forward them to, if known.
    case notLeader(leader: NodeID?)
    /// A proposal was refused (for example, empty data).
    case proposalRejected(String)
    /// A compaction asked for an index the node cannot compact to.
    case invalidCompaction(String)
    /// Persisted state that a node or storage cannot start from.
    case invalidPersistedState(String)
    /// A storage operation failed: what was attempted, on which file, and the system's reason.
    case storageFailure(operation: String, path: String, reason: String)
    /// A storage file holds bytes that are not what Weft wrote (beyond a torn final record).
    case corruptStorage(path: String, offset: UInt64, reason: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(reason):
            "invalid Raft configuration: \(reason)"
        case let .notLeader(leader):
            "this node is not the Raft leader" + (leader.map { "; node \($0) leads" } ?? "; no leader is known yet")
        case let .proposalRejected(reason):
            "proposal rejected: \(reason)"
        case let .invalidCompaction(reason):
            "cannot compact the Raft log: \(reason)"
        case let .invalidPersistedState(reason):
            "cannot restart from the persisted Raft state: \(reason)"
        case let .storageFailure(operation, path, reason):
            "Raft storage could not \(operation) \(path): \(reason)"
        case let .corruptStorage(path, offset, reason):
            "Raft storage file \(path) is corrupt at byte \(offset): \(reason)"
        }
    }
}
