import WeftCore

/// Why the committer refused a whole block (a bad transaction never does this: it gets a code).
public enum CommitterError: Error, Sendable, CustomStringConvertible {
    /// The block's orderer signatures do not satisfy the channel's block validation policy.
    case blockSignatureInvalid(blockNumber: UInt64, reason: String)
    /// More early blocks arrived than the committer buffers.
    case tooManyPendingBlocks(limit: Int)
    /// The ledger refused or failed to commit.
    case ledger(String)

    public var description: String {
        switch self {
        case let .blockSignatureInvalid(number, reason): "block \(number) refused: \(reason)"
        case .tooManyPendingBlocks(let limit): "more than \(limit) blocks arrived ahead of the next one to commit"
        case .ledger(let reason): "ledger: \(reason)"
        }
    }
}
