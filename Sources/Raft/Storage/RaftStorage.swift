/// Where a node's log, hard state and snapshot live durably. The driver owns it: it restarts a node
/// from `load()` and persists every `Ready` with `save(_:)` before sending its messages.
///
/// Implementations: `MemoryRaftStorage` (tests and simulations; "durable" for the life of the object)
/// and `FileRaftStorage` (append-only log file, hard-state file and snapshot file, fsync'd).
public protocol RaftStorage: AnyObject {
    /// Everything persisted so far, to restart a node from.
    func load() throws(RaftError) -> PersistedState

    /// Persists, in this order: `snapshot` (which replaces the whole stored log), then `entries` (the first
    /// one overwrites any stored entry at its index, and everything after it is dropped), then
    /// `hardState`. When `sync` is true the call returns only once all of it is durable.
    func save(hardState: HardState?, entries: [Entry], snapshot: Snapshot?, sync: Bool) throws(RaftError)

    /// Records a snapshot the application took of its own state (`RaftNode.compact(through:data:)`)
    /// and drops the stored entries it covers.
    func compact(to snapshot: Snapshot) throws(RaftError)
}

extension RaftStorage {
    /// Persists what `ready` asks for (its snapshot, entries and hard state), durably when it must.
    public func save(_ ready: Ready) throws(RaftError) {
        guard ready.hardState != nil || !ready.entries.isEmpty || ready.snapshot != nil else { return }
        try save(hardState: ready.hardState, entries: ready.entries, snapshot: ready.snapshot, sync: ready.mustSync)
    }
}

extension PersistedState {
    /// Appends `newEntries`, replacing the stored suffix from the first new index on.
    mutating func append(_ newEntries: [Entry]) throws(RaftError) {
        guard let first = newEntries.first else { return }
        let snapshotIndex = snapshot?.index ?? 0
        guard first.index > snapshotIndex, first.index <= lastIndex + 1 else {
            throw .invalidPersistedState(
                "cannot append entry \(first.index): the stored log holds \(snapshotIndex + 1)...\(lastIndex)")
        }
        entries.removeLast(Int(lastIndex + 1 - first.index))
        entries.append(contentsOf: newEntries)
    }

    /// Replaces the whole log by a snapshot received from the leader.
    mutating func install(_ received: Snapshot) {
        snapshot = received
        entries = []
        if hardState.commit < received.index { hardState.commit = received.index }
    }

    /// Records a snapshot taken locally and drops the entries it covers.
    mutating func compact(to taken: Snapshot) throws(RaftError) {
        let snapshotIndex = snapshot?.index ?? 0
        guard taken.index > snapshotIndex, taken.index <= lastIndex else {
            throw .invalidCompaction(
                "snapshot at \(taken.index) is outside the stored log \(snapshotIndex + 1)...\(lastIndex)")
        }
        let covered = Int(taken.index - snapshotIndex)
        guard entries[covered - 1].term == taken.term else {
            throw .invalidCompaction(
                "snapshot at \(taken.index) has term \(taken.term), the stored entry has term \(entries[covered - 1].term)")
        }
        entries.removeFirst(covered)
        snapshot = taken
    }
}
