import WeftCore

/// The state a node must persist (and fsync) before sending the messages that depend on it: its
/// current term, whom it voted for in that term, and how far it knows the log to be committed.
///
/// Canonical layout: `term` (u64), `vote` (optional u64: tag 0 none, tag 1 then the node id), `commit` (u64).
public struct HardState: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// The latest term the node has seen.
    public var term: UInt64
    /// The candidate the node voted for in `term`, if any.
    public var vote: NodeID?
    /// The highest log index known to be committed.
    public var commit: UInt64

    /// Creates a hard state.
    public init(term: UInt64 = 0, vote: NodeID? = nil, commit: UInt64 = 0) {
        self.term = term
        self.vote = vote
        self.commit = commit
    }

    /// The state of a node that has never run.
    public static let initial = HardState()

    public var description: String {
        "term \(term) vote \(vote.map(String.init) ?? "-") commit \(commit)"
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(term)
        writer.write(vote)
        writer.write(commit)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        term = try reader.readUInt64()
        vote = try reader.readOptional(UInt64.self)
        commit = try reader.readUInt64()
    }
}

/// The role a node plays in its current term.
public enum RaftRole: UInt8, Hashable, Sendable, CustomStringConvertible {
    /// Follows a leader (or waits for one).
    case follower = 0
    /// Asks whether it could win an election before disturbing anyone (pre-vote, Raft thesis §9.6).
    case preCandidate = 1
    /// Campaigns for votes in a new term.
    case candidate = 2
    /// Leads the term: the only node that appends to the log.
    case leader = 3

    public var description: String {
        switch self {
        case .follower: "follower"
        case .preCandidate: "pre-candidate"
        case .candidate: "candidate"
        case .leader: "leader"
        }
    }
}

/// Volatile state the application may want to observe (it need not be persisted): who leads and
/// what this node is.
public struct SoftState: Hashable, Sendable, CustomStringConvertible {
    /// The leader this node knows of, if any.
    public var leader: NodeID?
    /// This node's role.
    public var role: RaftRole

    /// Creates a soft state.
    public init(leader: NodeID?, role: RaftRole) {
        self.leader = leader
        self.role = role
    }

    public var description: String { "\(role) leader \(leader.map(String.init) ?? "-")" }
}
