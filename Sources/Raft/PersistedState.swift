/// What a node's storage holds: everything a node restarts from after a crash.
public struct PersistedState: Sendable, Equatable {
    /// The last persisted term, vote and commit index.
    public var hardState: HardState
    /// The latest persisted snapshot, if any; the log continues after its index.
    public var snapshot: Snapshot?
    /// The persisted entries after the snapshot, in index order without gaps.
    public var entries: [Entry]

    /// Creates persisted state.
    public init(hardState: HardState = .initial, snapshot: Snapshot? = nil, entries: [Entry] = []) {
        self.hardState = hardState
        self.snapshot = snapshot
        self.entries = entries
    }

    /// The state of a node that has never run.
    public static let empty = PersistedState()

    /// The index of the last persisted entry (or of the snapshot when no entry follows it).
    public var lastIndex: UInt64 { entries.last?.index ?? snapshot?.index ?? 0 }

    /// Throws unless a node can restart from this state: entries contiguous after the snapshot, terms
    /// never decreasing and not newer than the hard state's term, and the commit index within the log.
    public func validate() throws(RaftError) {
        let snapshotIndex = snapshot?.index ?? 0
        var expectedIndex = snapshotIndex + 1
        var previousTerm = snapshot?.term ?? 0
        for entry in entries {
            guard entry.index == expectedIndex else {
                throw .invalidPersistedState("entry \(entry.index) found where entry \(expectedIndex) belongs")
            }
            guard entry.term >= previousTerm else {
                throw .invalidPersistedState("entry \(entry.index) has term \(entry.term) after term \(previousTerm)")
            }
            expectedIndex += 1
            previousTerm = entry.term
        }
        guard hardState.commit <= lastIndex else {
            throw .invalidPersistedState("commit index \(hardState.commit) is beyond the last entry \(lastIndex)")
        }
        guard hardState.term >= previousTerm else {
            throw .invalidPersistedState("term \(hardState.term) is older than the last entry's term \(previousTerm)")
        }
    }
}
