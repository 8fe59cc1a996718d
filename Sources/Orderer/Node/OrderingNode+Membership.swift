import Raft
import WeftCore

// Raft membership follows the channel's configuration: when a configuration update adds or removes a
// consenter, the leader proposes one single-server change at a time (Raft thesis §4.1) until Raft's
// voters are the configured ones — additions first, then removals, and its own removal last: it stops
// taking envelopes, writes the blocks of those it took, and hands its leadership to a remaining voter,
// so that ordering pauses for a round trip rather than an election timeout and no accepted envelope is
// dropped. A new leader picks up where the old one stopped.

extension OrderingNode {
    /// Whether the configuration in force lists this node among the consenters.
    var isConfiguredVoter: Bool { configuredVoters.contains(id) }

    /// Raft's voters now (the newest membership entry in this node's log).
    public var raftVoters: [NodeID] { raft.configuration.voters }

    /// The next single-server step from `current` toward `target`: the voters after adding the first
    /// missing one, or else after removing the first extra one other than `leader` (the leader's own
    /// removal comes last); nil when no such step is left.
    static func nextMembership(from current: [NodeID], toward target: [NodeID], leader: NodeID) -> [NodeID]? {
        if let added = target.first(where: { !current.contains($0) }) { return (current + [added]).sorted() }
        if let removed = current.first(where: { !target.contains($0) && $0 != leader }) { return current.filter { $0 != removed } }
        return nil
    }

    /// On the leader, takes the next step toward the configured voters: proposes a membership change,
    /// or hands leadership over when only this node's own removal is left. Returns whether it proposed
    /// (the proposal makes the next `Ready`). A step Raft refuses for now — the previous change is not
    /// committed, or this leader has not committed an entry of its term — is tried again on the next
    /// processing pass.
    func stepMembership() -> Bool {
        // Raft keeps its voters sorted, as `reconfigure` keeps the configured ones: on a pass with
        // nothing to change (every pass but a few), this is one comparison of two short arrays.
        let current = raft.configuration.voters
        guard current != configuredVoters, raft.role == .leader, catchUp == nil, raft.transferTarget == nil else { return false }
        if let next = Self.nextMembership(from: current, toward: configuredVoters, leader: id) {
            do {
                try raft.proposeMembership(next)
            } catch {
                return false
            }
            configuration.observer.membershipProposed?(next)
            return true
        }
        // Only this leader's removal is left. It takes no more envelopes (`order`); what it took is cut
        // and written first, then it hands over to a remaining voter, which proposes the removal.
        guard !isConfiguredVoter, let successor = configuredVoters.first(where: { current.contains($0) }) else { return false }
        let pending = cutter.cutPending()
        if !pending.isEmpty {
            perform(pending) { _ in .timeout }
            return true   // the batch is proposed next
        }
        guard let pipeline, pipeline.queued.isEmpty, pipeline.inflight.isEmpty else { return false }
        try? raft.transferLeadership(to: successor)
        return false
    }
}
