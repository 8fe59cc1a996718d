import Raft

/// Everything that can go wrong in the `Orderer` module. A refused broadcast is not an error: it is a
/// `BroadcastResult` with a status. These are for configuration mistakes and broken infrastructure.
public enum OrdererError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Batch limits that cannot work together.
    case invalidBatchLimits(String)
    /// An ordering configuration that cannot run.
    case invalidConfiguration(String)
    /// A file operation failed: what was attempted, on which file, and the system's reason.
    case storageFailure(operation: String, path: String, reason: String)
    /// A block store file holds bytes that are not what Weft wrote (beyond a torn final record).
    case corruptStorage(path: String, offset: UInt64, reason: String)
    /// Another process (or another node object) holds the orderer's data directory.
    case directoryInUse(String)
    /// The block store has no block with this number (yet).
    case blockNotFound(number: UInt64, height: UInt64)
    /// The Raft layer failed (storage or persisted state).
    case raft(RaftError)
    /// A committed block does not continue this orderer's chain: replicated state diverged. The node
    /// stops rather than sign a fork.
    case chainMismatch(String)
    /// The node was stopped (or failed); it takes no more input and its deliver streams end.
    case stopped
    /// `OrderingNode.run()` was called on a node that already runs (or ran).
    case alreadyRunning

    public var description: String {
        switch self {
        case let .invalidBatchLimits(reason): "invalid batch limits: \(reason)"
        case let .invalidConfiguration(reason): "invalid ordering configuration: \(reason)"
        case let .storageFailure(operation, path, reason): "orderer storage could not \(operation) \(path): \(reason)"
        case let .corruptStorage(path, offset, reason): "block store file \(path) is corrupt at byte \(offset): \(reason)"
        case let .directoryInUse(path): "the orderer directory \(path) is in use by another orderer (lock file held)"
        case let .blockNotFound(number, height): "block \(number) is not stored (height \(height))"
        case let .raft(error): "\(error)"
        case let .chainMismatch(reason): "the ordered chain diverged: \(reason)"
        case .stopped: "the orderer has stopped"
        case .alreadyRunning: "the orderer node already runs: run() is called once per node"
        }
    }
}
