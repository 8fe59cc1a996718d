import WeftCore

/// Why the committer refused a whole block (a bad transaction never does this: it gets a code).
public enum CommitterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The block's orderer signatures do not satisfy the channel's block validation policy.
    case blockSignatureInvalid(blockNumber: UInt64, reason: String)
    /// The block is not what the chain needs (its data does not match its signed header, it does not
    /// link to the last block, …): it came from a bad source and is dropped; the next block must come
    /// again, from a good one.
    case blockRefused(blockNumber: UInt64, reason: String)
    /// More early blocks arrived than the committer buffers.
    case tooManyPendingBlocks(limit: Int)
    /// The ledger failed to commit (I/O, a full disk, a lock): the block is kept and retried.
    case ledger(String)
    /// The ledger is closed: nothing more can commit.
    case ledgerClosed

    /// Whether the block itself is at fault (so it is dropped, not retried).
    public var refusesBlock: Bool {
        switch self {
        case .blockSignatureInvalid, .blockRefused: true
        case .tooManyPendingBlocks, .ledger, .ledgerClosed: false
        }
    }

    public var description: String {
        switch self {
        case let .blockSignatureInvalid(number, reason): "block \(number) refused: \(reason)"
        case let .blockRefused(number, reason): "block \(number) refused: \(reason)"
        case .tooManyPendingBlocks(let limit): "more than \(limit) blocks arrived ahead of the next one to commit"
        case .ledger(let reason): "ledger: \(reason)"
        case .ledgerClosed: "the ledger is closed"
        }
    }
}
