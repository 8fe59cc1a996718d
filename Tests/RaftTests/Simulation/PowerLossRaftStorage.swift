import Raft

/// A `RaftStorage` double for a disk with a volatile write cache: what `save` writes without `sync` sits
/// in the cache, and a crash (`powerLoss(keeping:)`) keeps only a prefix of it — from nothing to all of
/// it, in write order, so a crash can also tear a `save` part-way (snapshot written, entries half
/// written, hard state not). What a `save(sync: true)` or a compaction wrote survives every crash.
///
/// `MemoryRaftStorage` keeps every write, so a simulation over it cannot notice a `Ready` that needed
/// an fsync but did not ask for one (`Ready.mustSync`); over this double such a node forgets a vote or
/// an acknowledged entry, and `SafetyChecker` sees a committed entry lost or a term led twice.
///
/// After a crash the state is repaired the way `FileRaftStorage` repairs its three files (a term older
/// than the last entry's is raised, with no vote; a commit index beyond the log is lowered), since a
/// torn `save` leaves the same shapes.
final class PowerLossRaftStorage: RaftStorage {
    /// One write, in the order `save` makes them (snapshot, then each entry, then the hard state).
    enum Write {
        case snapshot(Snapshot)
        case entry(Entry)
        case hardState(HardState)
    }

    /// What survives a crash.
    private(set) var durable = PersistedState.empty
    /// What the node has written: `durable` with `cached` applied.
    private var current = PersistedState.empty
    /// Writes since the last sync, oldest first.
    private(set) var cached: [Write] = []
    /// How many unsynced writes crashes have thrown away, to show that losses really happened.
    private(set) var lostWrites = 0

    func load() throws(RaftError) -> PersistedState { Self.repaired(current) }

    func save(hardState: HardState?, entries: [Entry], snapshot: Snapshot?, sync: Bool) throws(RaftError) {
        var writes: [Write] = []
        if let snapshot { writes.append(.snapshot(snapshot)) }
        writes += entries.map(Write.entry)
        if let hardState { writes.append(.hardState(hardState)) }
        var next = current
        for write in writes { try Self.apply(write, to: &next) }
        current = next
        cached += writes
        if sync { flush() }
    }

    /// Compaction is durable, as in `FileRaftStorage` (the snapshot file and the rewritten log are
    /// fsync'd before the rename): the cached log writes reach the disk with it; a cached hard state
    /// does not.
    func compact(to snapshot: Snapshot) throws(RaftError) {
        var next = current
        try Self.compact(&next, to: snapshot)
        var nextDurable = durable
        for write in cached {
            if case .hardState = write { continue }
            try Self.apply(write, to: &nextDurable)
        }
        try Self.compact(&nextDurable, to: snapshot)
        current = next
        durable = nextDurable
        cached.removeAll { if case .hardState = $0 { false } else { true } }
    }

    /// Makes every cached write durable (an fsync).
    func flush() {
        durable = current
        cached = []
    }

    /// A crash: the first `kept` cached writes reach the disk, the rest are lost.
    func powerLoss(keeping kept: Int) {
        var next = durable
        for write in cached.prefix(kept) {
            // Each write was valid on top of the ones before it when `save` accepted it.
            try? Self.apply(write, to: &next)
        }
        lostWrites += max(cached.count - kept, 0)
        durable = Self.repaired(next)
        current = durable
        cached = []
    }

    private static func apply(_ write: Write, to state: inout PersistedState) throws(RaftError) {
        switch write {
        case .snapshot(let snapshot):
            state.snapshot = snapshot
            state.entries = []
            state.hardState.commit = max(state.hardState.commit, snapshot.index)
        case .entry(let entry):
            let snapshotIndex = state.snapshot?.index ?? 0
            guard entry.index > snapshotIndex, entry.index <= state.lastIndex + 1 else {
                throw .invalidPersistedState(
                    "cannot append entry \(entry.index): the stored log holds \(snapshotIndex + 1)...\(state.lastIndex)")
            }
            state.entries.removeLast(Int(state.lastIndex + 1 - entry.index))
            state.entries.append(entry)
        case .hardState(let hardState):
            state.hardState = hardState
        }
    }

    /// Drops the entries `snapshot` covers and records it (the stored entry at its index has its term).
    private static func compact(_ state: inout PersistedState, to snapshot: Snapshot) throws(RaftError) {
        let snapshotIndex = state.snapshot?.index ?? 0
        guard snapshot.index > snapshotIndex, snapshot.index <= state.lastIndex,
              state.entries[Int(snapshot.index - snapshotIndex) - 1].term == snapshot.term
        else {
            throw .invalidCompaction("snapshot at \(snapshot.index) does not match the stored log \(snapshotIndex + 1)...\(state.lastIndex)")
        }
        state.entries.removeFirst(Int(snapshot.index - snapshotIndex))
        state.snapshot = snapshot
    }

    private static func repaired(_ state: PersistedState) -> PersistedState {
        var state = state
        let lastTerm = state.entries.last?.term ?? state.snapshot?.term ?? 0
        if state.hardState.term < lastTerm {
            state.hardState.term = lastTerm
            state.hardState.vote = nil
        }
        state.hardState.commit = min(state.hardState.commit, state.lastIndex)
        return state
    }

    /// The durable entry at `index`, or, when a durable snapshot covers `index`, nil with `covered` true.
    func durableEntry(at index: UInt64) -> (entry: Entry?, covered: Bool) {
        let snapshotIndex = durable.snapshot?.index ?? 0
        if index <= snapshotIndex { return (nil, true) }
        let offset = Int(index - snapshotIndex - 1)
        guard offset < durable.entries.count else { return (nil, false) }
        return (durable.entries[offset], false)
    }
}
