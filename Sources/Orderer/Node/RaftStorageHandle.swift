import Raft

/// The node's `FileRaftStorage`, handed to the jobs of its disk lane.
///
/// `@unchecked Sendable`: the storage is only used inside jobs of the node's disk lane, which run one at a
/// time (and, before the node runs, by its initializer alone).
final class RaftStorageHandle: @unchecked Sendable {
    let storage: FileRaftStorage

    init(_ storage: FileRaftStorage) {
        self.storage = storage
    }
}
