/// One node's log in memory: the latest snapshot, the entries after it, the commit and applied
/// indices, and how much of it the driver has persisted. The driver's storage holds the same log
/// durably; the node keeps it here so that it never reads a disk.
struct RaftLog: Sendable {
    /// The latest snapshot (taken locally or received), sent to followers that lag behind it.
    private(set) var snapshot: Snapshot?
    /// The entries after the snapshot, in index order without gaps.
    private(set) var entries: [Entry]
    /// The highest index known to be committed.
    private(set) var committed: UInt64
    /// The highest index the application has applied (advanced past).
    private(set) var applied: UInt64
    /// Entries up to this index are persisted; the rest are handed out in the next `Ready`.
    private(set) var stableIndex: UInt64
    /// A snapshot received from the leader that the driver has not persisted and applied yet.
    private(set) var pendingSnapshot: Snapshot?

    /// What happened to an append from the leader.
    enum AppendOutcome: Equatable {
        /// The log now matches the leader's up to `lastNewIndex`.
        case appended(lastNewIndex: UInt64)
        /// The log does not hold the entry before the new ones with the leader's term.
        case mismatch
        /// The message would overwrite a committed entry; only a faulty leader sends that.
        case conflictsWithCommitted
    }

    /// Creates the log of a node restarting from persisted state (already validated by the caller).
    init(snapshot: Snapshot?, entries: [Entry], committed: UInt64, applied: UInt64) {
        self.snapshot = snapshot
        self.entries = entries
        self.committed = committed
        self.applied = applied
        let snapshotIndex = snapshot?.index ?? 0
        stableIndex = snapshotIndex + UInt64(entries.count)
        if let snapshot, applied < snapshot.index {
            pendingSnapshot = snapshot
        }
    }

    var snapshotIndex: UInt64 { snapshot?.index ?? 0 }
    var snapshotTerm: UInt64 { snapshot?.term ?? 0 }
    var firstIndex: UInt64 { snapshotIndex + 1 }
    var lastIndex: UInt64 { snapshotIndex + UInt64(entries.count) }
    var lastTerm: UInt64 { entries.last?.term ?? snapshotTerm }

    /// The term of the entry at `index`, or nil when it was compacted away or does not exist yet.
    func term(at index: UInt64) -> UInt64? {
        if index == snapshotIndex { return snapshotTerm }
        guard index > snapshotIndex, index <= lastIndex else { return nil }
        return entries[position(of: index)].term
    }

    /// Whether a log ending at `lastIndex`/`lastTerm` is at least as up to date as this one (§5.4.1).
    func isUpToDate(lastIndex otherIndex: UInt64, lastTerm otherTerm: UInt64) -> Bool {
        otherTerm > lastTerm || (otherTerm == lastTerm && otherIndex >= lastIndex)
    }

    /// Entries from `low` on, as many as fit in `maxBytes` (at least one); nil when `low` was compacted.
    func entries(from low: UInt64, maxBytes: Int) -> [Entry]? {
        guard low >= firstIndex else { return nil }
        guard low <= lastIndex else { return [] }
        var result: [Entry] = []
        var bytes = 0
        for entry in entries[position(of: low)...] {
            bytes += entry.encodedSize
            if !result.isEmpty, bytes > maxBytes { break }
            result.append(entry)
        }
        return result
    }

    /// The entries the driver has not persisted yet.
    var unstableEntries: [Entry] {
        guard stableIndex < lastIndex else { return [] }
        return Array(entries[position(of: max(stableIndex + 1, firstIndex))...])
    }

    /// Whether committed entries wait to be applied (never while a snapshot is pending).
    var hasEntriesToApply: Bool { pendingSnapshot == nil && committed > applied }

    /// The committed entries the application has not applied yet (none while a snapshot is pending).
    var entriesToApply: [Entry] {
        guard pendingSnapshot == nil, committed > applied else { return [] }
        let low = max(applied + 1, firstIndex)
        guard low <= committed else { return [] }
        return Array(entries[position(of: low)...position(of: committed)])
    }

    /// Appends a leader's own new entries (their indices follow `lastIndex`).
    mutating func append(_ newEntries: [Entry]) {
        entries.append(contentsOf: newEntries)
    }

    /// Appends the leader's entries after `prevIndex`, dropping a conflicting suffix first, and commits
    /// up to `commit` (no further than the entries the leader just matched).
    mutating func maybeAppend(
        prevIndex: UInt64, prevTerm: UInt64, commit leaderCommit: UInt64, entries newEntries: [Entry]
    ) -> AppendOutcome {
        guard term(at: prevIndex) == prevTerm else { return .mismatch }
        var firstNew = newEntries.count
        for (offset, entry) in newEntries.enumerated() where entry.index > snapshotIndex {
            guard let existing = term(at: entry.index) else {
                firstNew = offset
                break
            }
            if existing != entry.term {
                if entry.index <= committed { return .conflictsWithCommitted }
                truncate(after: entry.index - 1)
                firstNew = offset
                break
            }
        }
        entries.append(contentsOf: newEntries[firstNew...])
        let lastNewIndex = prevIndex + UInt64(newEntries.count)
        commit(to: min(leaderCommit, lastNewIndex))
        return .appended(lastNewIndex: lastNewIndex)
    }

    /// Raises the commit index to `index` (never past the last entry, never down).
    mutating func commit(to index: UInt64) {
        let target = min(index, lastIndex)
        if target > committed { committed = target }
    }

    /// Commits up to `index` if the entry there is from `term` (a leader commits only entries of its
    /// own term by counting replicas; earlier ones follow — Raft paper §5.4.2, figure 8).
    mutating func maybeCommit(index: UInt64, term currentTerm: UInt64) -> Bool {
        guard index > committed, term(at: index) == currentTerm else { return false }
        commit(to: index)
        return true
    }

    /// The last index at or before `index` whose term is at most `term`, with that term (0 when unknown):
    /// the place where a follower's log and a leader's log may agree.
    func findConflictByTerm(index: UInt64, term maximumTerm: UInt64) -> (index: UInt64, term: UInt64) {
        var candidate = min(index, lastIndex)
        while true {
            guard let found = term(at: candidate) else { return (candidate, 0) }
            if found <= maximumTerm || candidate == 0 { return (candidate, found) }
            candidate -= 1
        }
    }

    /// Replaces the whole log by a snapshot received from the leader.
    mutating func restore(_ received: Snapshot) {
        snapshot = received
        entries = []
        committed = received.index
        stableIndex = received.index
        pendingSnapshot = received
    }

    /// Takes a snapshot of the application's state at `index` and drops the entries it covers.
    mutating func compact(through index: UInt64, data: [UInt8], voters: [NodeID]) throws(RaftError) -> Snapshot {
        guard index > snapshotIndex else {
            throw .invalidCompaction("index \(index) is not after the latest snapshot at \(snapshotIndex)")
        }
        guard index <= applied else {
            throw .invalidCompaction("index \(index) has not been applied yet (applied: \(applied))")
        }
        guard let indexTerm = term(at: index) else {
            throw .invalidCompaction("index \(index) is not in the log (\(firstIndex)...\(lastIndex))")
        }
        entries.removeFirst(Int(index - snapshotIndex))
        let taken = Snapshot(metadata: SnapshotMetadata(index: index, term: indexTerm, voters: voters), data: data)
        snapshot = taken
        return taken
    }

    /// Records that the driver persisted the entries handed out up to `index` (of `term`).
    mutating func stable(to index: UInt64, term expectedTerm: UInt64) {
        if index > stableIndex, term(at: index) == expectedTerm { stableIndex = index }
    }

    /// Records that the driver persisted and applied the received snapshot at `index`.
    mutating func snapshotApplied(index: UInt64) {
        if pendingSnapshot?.index == index { pendingSnapshot = nil }
        if index > applied, index <= snapshotIndex { applied = index }
    }

    /// Records that the application applied the committed entries up to `index`.
    mutating func applied(to index: UInt64) {
        if index > applied, index <= committed { applied = index }
    }

    private mutating func truncate(after index: UInt64) {
        entries.removeLast(Int(lastIndex - index))
        stableIndex = min(stableIndex, index)
    }

    private func position(of index: UInt64) -> Int { Int(index - firstIndex) }
}
