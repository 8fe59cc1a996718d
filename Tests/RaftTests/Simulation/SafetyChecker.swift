import Raft

/// Checks Raft's safety properties across a whole simulated cluster after every step:
/// - election safety: at most one leader per term;
/// - state machine safety: no two nodes ever apply different entries at one index;
/// - leader completeness (no committed entry is lost): a leader of a term newer than the one in which an
///   entry was seen committed holds that entry.
struct SafetyChecker {
    private var leaders: [UInt64: NodeID] = [:]
    /// Every entry applied anywhere, with the lowest term of a node that applied it (at or after the
    /// term in which it was committed).
    private var committed: [UInt64: (entry: Entry, seenInTerm: UInt64)] = [:]
    private(set) var highestCommitted: UInt64 = 0

    /// The entry committed at `index`, if any node applied one.
    func committedEntry(at index: UInt64) -> Entry? { committed[index]?.entry }

    mutating func recordApplied(_ entry: Entry, by node: NodeID, inTerm term: UInt64) throws(SimulationFailure) {
        if let known = committed[entry.index] {
            guard known.entry == entry else {
                throw SimulationFailure(
                    "node \(node) applied \(entry) at index \(entry.index), but \(known.entry) was applied there before")
            }
            if term < known.seenInTerm { committed[entry.index] = (entry, term) }
        } else {
            committed[entry.index] = (entry, term)
            highestCommitted = max(highestCommitted, entry.index)
        }
    }

    mutating func check(_ node: RaftNode) throws(SimulationFailure) {
        let status = node.status
        guard status.role == .leader else { return }
        if let other = leaders[status.term], other != status.id {
            throw SimulationFailure("nodes \(other) and \(status.id) both lead term \(status.term)")
        }
        leaders[status.term] = status.id
        guard highestCommitted > status.snapshotIndex else { return }
        for index in (status.snapshotIndex + 1)...highestCommitted {
            guard let known = committed[index], known.seenInTerm < status.term else { continue }
            guard node.term(at: index) == known.entry.term else {
                throw SimulationFailure(
                    "leader \(status.id) of term \(status.term) lost committed entry \(known.entry) "
                        + "(its log has term \(node.term(at: index).map(String.init) ?? "none") there)")
            }
        }
    }
}
