// Leadership transfer (Raft thesis §3.10): the leader brings the target's log up to date, then tells it
// to start an election at once; the target's vote requests bypass the other voters' leader lease.

extension RaftNode {
    /// Hands leadership to `target` (for example before this orderer restarts). Proposals are refused
    /// while the transfer runs; it is abandoned after an election timeout. The leader keeps leading
    /// until the target wins.
    public mutating func transferLeadership(to target: NodeID) throws(RaftError) {
        guard role == .leader else { throw .notLeader(leader: leader) }
        guard target != id else { return }
        guard peers.contains(target) else {
            throw .invalidConfiguration("node \(target) is not among the voters \(configuration.voters)")
        }
        if leadTransferee == target { return }
        leadTransferee = target
        electionElapsed = 0
        if progress[target]?.match == log.lastIndex {
            send(.timeoutNow, to: target)
        } else {
            sendAppend(to: target)
        }
    }

    /// The node a leadership transfer is under way to, if any.
    public var transferTarget: NodeID? { leadTransferee }
}
