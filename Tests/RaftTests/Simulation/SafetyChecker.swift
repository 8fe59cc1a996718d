import Raft

/// Checks Raft's safety properties across a whole simulated cluster after every step:
/// - election safety: at most one leader per term;
/// - state machine safety: no two nodes ever apply different entries at one index;
/// - leader completeness (no committed entry is lost): a leader of a term newer than the one in which an
///   entry was seen committed holds that entry;
/// - committed prefixes agree: every entry a node holds at or below its commit index is the one committed
///   there;
/// - durability (with `PowerLossRaftStorage`): every committed entry survives a crash of every node —
///   it is in the durable log, or under a durable snapshot, of a quorum.
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

    /// Throws unless every entry `node` holds from its snapshot through its commit index has the term of
    /// the entry committed at that index (by log matching, the same entry).
    func checkCommittedPrefix(of node: RaftNode) throws(SimulationFailure) {
        let status = node.status
        let last = min(status.commitIndex, highestCommitted)
        guard last > status.snapshotIndex else { return }
        for index in (status.snapshotIndex + 1)...last {
            guard let known = committed[index] else { continue }
            guard let term = node.term(at: index), term == known.entry.term else {
                throw SimulationFailure(
                    "node \(status.id) has committed through \(status.commitIndex), but holds term "
                        + "\(node.term(at: index).map(String.init) ?? "none") at \(index) where \(known.entry) was committed")
            }
        }
    }

    /// Throws unless every committed entry is durable on a quorum of `storages` (one per voter): equal
    /// to the committed entry in the durable log, or below a durable snapshot.
    func checkDurableOnQuorum(_ storages: [PowerLossRaftStorage]) throws(SimulationFailure) {
        let quorum = storages.count / 2 + 1
        let everywhereCovered = storages.map { $0.durable.snapshot?.index ?? 0 }.min() ?? 0
        guard highestCommitted > everywhereCovered else { return }
        for index in (everywhereCovered + 1)...highestCommitted {
            guard let known = committed[index]?.entry else { continue }
            let holders = storages.filter { storage in
                let durable = storage.durableEntry(at: index)
                return durable.covered || durable.entry == known
            }.count
            guard holders >= quorum else {
                throw SimulationFailure(
                    "committed entry \(known) is durable on \(holders) of \(storages.count) nodes only: "
                        + "a crash of the others loses it")
            }
        }
    }
}
