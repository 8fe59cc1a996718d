/// A message between two nodes of a cluster. The transport delivers it as it is (any order, any
/// number of times, or not at all); Raft stays safe under all of these.
///
/// `term` is the sender's term, except in a pre-vote request (the term the sender would campaign in)
/// and a granted pre-vote response (the term of the request it grants).
public struct Message: Hashable, Sendable, CustomStringConvertible {
    /// The sender.
    public var from: NodeID
    /// The recipient.
    public var to: NodeID
    /// The term the message belongs to.
    public var term: UInt64
    /// What the message says.
    public var body: MessageBody

    /// Creates a message.
    public init(from: NodeID, to: NodeID, term: UInt64, body: MessageBody) {
        self.from = from
        self.to = to
        self.term = term
        self.body = body
    }

    public var description: String { "\(from)→\(to) t\(term) \(body)" }
}

/// The kinds of Raft messages and their fields.
public enum MessageBody: Hashable, Sendable, CustomStringConvertible {
    /// A candidate asks for a vote (or, with `preVote`, whether it would get one) in `Message.term`.
    /// With `leaderTransfer`, the leader asked for the election: voters ignore their leader lease.
    case requestVote(preVote: Bool, lastIndex: UInt64, lastTerm: UInt64, leaderTransfer: Bool = false)
    /// The answer to `requestVote`.
    case voteResponse(preVote: Bool, granted: Bool)
    /// The leader sends entries that follow the entry at `prevIndex` (of term `prevTerm`), and its commit index.
    case append(prevIndex: UInt64, prevTerm: UInt64, entries: [Entry], commit: UInt64)
    /// The follower's log now matches the leader's up to `index`.
    case appendAccepted(index: UInt64)
    /// The follower's log does not hold the entry at `rejectedIndex` with the term the leader sent.
    /// `hintIndex` and `hintTerm` point at the follower's last entry that might match (fast backtracking).
    case appendRejected(rejectedIndex: UInt64, hintIndex: UInt64, hintTerm: UInt64)
    /// The leader is alive; the follower may commit up to `commit` (never beyond what it has matched).
    case heartbeat(commit: UInt64)
    /// The answer to `heartbeat`.
    case heartbeatResponse
    /// The leader sends a snapshot to a follower whose missing entries were compacted away.
    case installSnapshot(Snapshot)
    /// The leader hands its leadership over: the recipient starts an election at once.
    case timeoutNow

    public var description: String {
        switch self {
        case let .requestVote(preVote, lastIndex, lastTerm, leaderTransfer):
            "\(preVote ? "preVote" : "vote") last \(lastIndex)@\(lastTerm)\(leaderTransfer ? " (leader transfer)" : "")"
        case let .voteResponse(preVote, granted):
            "\(preVote ? "preVote" : "vote") \(granted ? "granted" : "rejected")"
        case let .append(prevIndex, prevTerm, entries, commit):
            "append prev \(prevIndex)@\(prevTerm) [\(entries.map(\.description).joined(separator: " "))] commit \(commit)"
        case let .appendAccepted(index):
            "accepted \(index)"
        case let .appendRejected(rejectedIndex, hintIndex, hintTerm):
            "rejected \(rejectedIndex) hint \(hintIndex)@\(hintTerm)"
        case let .heartbeat(commit):
            "heartbeat commit \(commit)"
        case .heartbeatResponse:
            "heartbeat ok"
        case let .installSnapshot(snapshot):
            "install \(snapshot)"
        case .timeoutNow:
            "timeout now"
        }
    }
}
