import Dispatch
import Raft

/// Where an ordering node's blocking work runs: one serial dispatch queue per node for every write and
/// fsync of its Raft log and block store (and the block decoding, hashing and signing that goes with
/// applying). Jobs run one at a time, in the order they were submitted.
///
/// The node's actor awaits these jobs instead of blocking on them, so while a block is being fsync'd
/// it keeps accepting broadcasts and stepping Raft messages (which the next `Ready` then persists
/// together — a natural group commit), and Swift's cooperative threads are never blocked on a disk.
struct DiskQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `work` on the queue after every job submitted before it, and returns its result.
    func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Swift.Result { try work() })
            }
        }
    }
}

/// The node's `FileRaftStorage`, handed to disk-queue jobs.
///
/// `@unchecked Sendable`: the storage is only used inside `DiskQueue` jobs, which run one at a time on
/// the node's serial queue (and, before the node runs, by its initializer alone).
final class RaftStorageHandle: @unchecked Sendable {
    let storage: FileRaftStorage

    init(_ storage: FileRaftStorage) {
        self.storage = storage
    }
}
