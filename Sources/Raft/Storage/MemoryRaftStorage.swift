/// A `RaftStorage` that keeps everything in memory. It models a disk that survives the node: a test
/// "crashes" a node by dropping its `RaftNode` and restarts it from this storage's `load()`.
public final class MemoryRaftStorage: RaftStorage {
    private var state: PersistedState

    /// Creates storage holding `state` (empty by default).
    public init(_ state: PersistedState = .empty) {
        self.state = state
    }

    public func load() throws(RaftError) -> PersistedState { state }

    public func save(hardState: HardState?, entries: [Entry], snapshot: Snapshot?, sync: Bool) throws(RaftError) {
        var next = state
        if let snapshot { next.install(snapshot) }
        try next.append(entries)
        if let hardState { next.hardState = hardState }
        state = next
    }

    public func compact(to snapshot: Snapshot) throws(RaftError) {
        try state.compact(to: snapshot)
    }
}
