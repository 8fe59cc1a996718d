/// A durable `RaftStorage` in one directory: `raft.log` (append-only entries, CRC per record),
/// `raft.hardstate` (term, vote and commit in two alternating slots) and `raft.snapshot` (replaced
/// atomically). `save` returns only once what it wrote is fsync'd; opening the directory recovers from a
/// crash at any instant (a torn final record is cut off, a half-finished compaction is completed).
///
/// File layouts: docs/encoding.md, "Raft". Not thread-safe: one owner (the orderer's Raft actor) uses it.
public final class FileRaftStorage: RaftStorage {
    /// The directory holding the files.
    public let directory: String
    /// How many bytes of torn tail recovery cut off the log when the directory was opened.
    public let recoveredTornBytes: UInt64

    private let log: LogFile
    private let hardStateFile: HardStateFile
    private var snapshotIndex: UInt64
    /// A changed commit index not yet written: it is written with the next change of term or vote (or by
    /// `flush()`); a node that restarts without it re-learns it.
    private var heldBackHardState: HardState?
    /// The state recovered on opening, handed out by the first `load()`.
    private var recovered: PersistedState?

    private var snapshotPath: String { directory + "/raft.snapshot" }

    /// Opens (creating if needed) the storage in `directory` and recovers it.
    public init(directory: String) throws(RaftError) {
        self.directory = directory
        try DurableFile.createDirectory(directory)
        let snapshot = try SnapshotFile.read(from: directory + "/raft.snapshot")
        hardStateFile = try HardStateFile(path: directory + "/raft.hardstate")
        let opened = try LogFile.open(path: directory + "/raft.log")
        log = opened.log
        recoveredTornBytes = opened.tornBytes
        snapshotIndex = snapshot?.index ?? 0
        let entries = try Self.entriesAfterSnapshot(opened.entries, snapshot: snapshot, log: log)
        recovered = Self.normalized(PersistedState(hardState: hardStateFile.state, snapshot: snapshot, entries: entries))
        try recovered?.validate()
    }

    public func load() throws(RaftError) -> PersistedState {
        if let recovered {
            self.recovered = nil
            return recovered
        }
        let snapshot = try SnapshotFile.read(from: snapshotPath)
        let state = PersistedState(
            hardState: heldBackHardState ?? hardStateFile.state, snapshot: snapshot, entries: try log.readEntries())
        return Self.normalized(state)
    }

    public func save(hardState: HardState?, entries: [Entry], snapshot: Snapshot?, sync: Bool) throws(RaftError) {
        recovered = nil
        if let snapshot {
            try SnapshotFile.write(snapshot, to: snapshotPath)
            try log.dropEntries(through: log.lastIndex ?? snapshot.index)
            snapshotIndex = snapshot.index
        }
        if let first = entries.first {
            let lastIndex = log.lastIndex ?? snapshotIndex
            guard first.index > snapshotIndex, first.index <= lastIndex + 1 else {
                throw .invalidPersistedState(
                    "cannot append entry \(first.index): the stored log holds \(snapshotIndex + 1)...\(lastIndex)")
            }
            try log.append(entries)
            if sync { try log.sync() }
        }
        if let hardState {
            let durable = hardStateFile.state
            if hardState.term != durable.term || hardState.vote != durable.vote {
                try hardStateFile.write(hardState)
                heldBackHardState = nil
            } else if hardState != durable {
                heldBackHardState = hardState
            }
        }
    }

    public func compact(to snapshot: Snapshot) throws(RaftError) {
        recovered = nil
        let lastIndex = log.lastIndex ?? snapshotIndex
        guard snapshot.index > snapshotIndex, snapshot.index <= lastIndex else {
            throw .invalidCompaction(
                "snapshot at \(snapshot.index) is outside the stored log \(snapshotIndex + 1)...\(lastIndex)")
        }
        let storedTerm = try log.term(at: snapshot.index)
        guard storedTerm == snapshot.term else {
            throw .invalidCompaction(
                "snapshot at \(snapshot.index) has term \(snapshot.term), the stored entry has term \(storedTerm ?? 0)")
        }
        try SnapshotFile.write(snapshot, to: snapshotPath)
        try log.dropEntries(through: snapshot.index)
        snapshotIndex = snapshot.index
    }

    /// Writes a held-back commit index durably (for a clean shutdown).
    public func flush() throws(RaftError) {
        if let heldBackHardState {
            try hardStateFile.write(heldBackHardState)
            self.heldBackHardState = nil
        }
    }

    /// The entries that continue `snapshot`, finishing what a crash interrupted: a compaction whose log
    /// rewrite did not happen (entries up to the snapshot remain) or a received snapshot whose log reset
    /// did not happen (the old log does not lead to the snapshot's entry).
    private static func entriesAfterSnapshot(_ entries: [Entry], snapshot: Snapshot?, log: LogFile) throws(RaftError) -> [Entry] {
        guard let snapshot, let first = entries.first, first.index <= snapshot.index else { return entries }
        let matching = entries.first { $0.index == snapshot.index }?.term == snapshot.term
        let kept = matching ? entries.filter { $0.index > snapshot.index } : []
        try log.dropEntries(through: matching ? snapshot.index : entries.last?.index ?? snapshot.index)
        return kept
    }

    /// Repairs what writing three files without a common transaction can leave behind: a commit index
    /// beyond the entries written, or a term older than the last entry's (both only when a crash cut a
    /// `save` short, before anything depending on it was sent).
    private static func normalized(_ state: PersistedState) -> PersistedState {
        var state = state
        let lastTerm = state.entries.last?.term ?? state.snapshot?.term ?? 0
        if state.hardState.term < lastTerm {
            state.hardState.term = lastTerm
            state.hardState.vote = nil
        }
        state.hardState.commit = min(state.hardState.commit, state.lastIndex)
        return state
    }
}
