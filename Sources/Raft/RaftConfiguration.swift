/// How a node runs: its id, the cluster's voters, its timeouts (in ticks) and its options.
public struct RaftConfiguration: Sendable {
    /// This node's id (non-zero).
    public var id: NodeID
    /// Every voter of the cluster, including this node: the initial members; membership entries in the
    /// log change them (`proposeMembership`).
    public var voters: [NodeID]
    /// A follower that hears nothing from a leader for a random number of ticks in
    /// `electionTicks ..< 2 * electionTicks` starts an election.
    public var electionTicks: Int
    /// A leader sends heartbeats every `heartbeatTicks` ticks; must be less than `electionTicks`.
    public var heartbeatTicks: Int
    /// Whether a node asks for pre-votes before starting a real election, so that a node that was
    /// partitioned away cannot disrupt the cluster by raising the term (Raft thesis §9.6).
    public var preVote: Bool
    /// Whether a leader steps down when it has not heard from a quorum for an election timeout, and a
    /// follower that heard from its leader within an election timeout ignores vote requests (leader lease).
    public var checkQuorum: Bool
    /// The byte budget of the entries in one append message (at least one entry is always sent).
    public var maxBytesPerAppend: Int
    /// How many append messages may be in flight to one follower in the replicate state.
    public var maxInflightAppends: Int

    /// Creates a configuration with defaults suited to a 100 ms tick: elections after 1–2 s, heartbeats
    /// every 100 ms, pre-vote and check-quorum on, 1 MiB appends, 256 appends in flight.
    public init(
        id: NodeID, voters: [NodeID], electionTicks: Int = 10, heartbeatTicks: Int = 1,
        preVote: Bool = true, checkQuorum: Bool = true,
        maxBytesPerAppend: Int = 1 << 20, maxInflightAppends: Int = 256
    ) {
        self.id = id
        self.voters = voters
        self.electionTicks = electionTicks
        self.heartbeatTicks = heartbeatTicks
        self.preVote = preVote
        self.checkQuorum = checkQuorum
        self.maxBytesPerAppend = maxBytesPerAppend
        self.maxInflightAppends = maxInflightAppends
    }

    /// Throws unless the configuration can run.
    public func validate() throws(RaftError) {
        func fail(_ reason: String) -> RaftError { .invalidConfiguration(reason) }
        guard id != 0 else { throw fail("node id 0 is reserved") }
        guard !voters.contains(0) else { throw fail("voter id 0 is reserved") }
        guard Set(voters).count == voters.count else { throw fail("voters \(voters) contain duplicates") }
        guard voters.contains(id) else { throw fail("node \(id) is not among the voters \(voters)") }
        guard heartbeatTicks >= 1 else { throw fail("heartbeatTicks must be at least 1, not \(heartbeatTicks)") }
        guard electionTicks > heartbeatTicks else {
            throw fail("electionTicks (\(electionTicks)) must exceed heartbeatTicks (\(heartbeatTicks))")
        }
        guard maxBytesPerAppend >= 1 else { throw fail("maxBytesPerAppend must be positive") }
        guard maxInflightAppends >= 1 else { throw fail("maxInflightAppends must be positive") }
    }

    /// The number of votes that wins an election or commits an entry.
    var quorum: Int { voters.count / 2 + 1 }
}
