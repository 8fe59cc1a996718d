import WeftCore

/// Where the chain stands: its height, the hash of its last block and the commit hash after it.
public struct ChainInfo: Sendable, Equatable, CustomStringConvertible {
    /// The number of committed blocks (the next block's number).
    public var height: UInt64
    /// The header hash of block `height - 1`; 32 zero bytes (the genesis `previousHash`) when empty.
    public var currentBlockHash: [UInt8]
    /// The commit hash after block `height - 1`; 32 zero bytes when empty.
    public var commitHash: [UInt8]

    /// Creates chain info.
    public init(height: UInt64, currentBlockHash: [UInt8], commitHash: [UInt8]) {
        self.height = height
        self.currentBlockHash = currentBlockHash
        self.commitHash = commitHash
    }

    /// The state of a ledger without blocks.
    public static let empty = ChainInfo(
        height: 0, currentBlockHash: BlockHeader.genesisPreviousHash, commitHash: [UInt8](repeating: 0, count: 32))   // CommitHash.genesisPrevious

    public var description: String {
        "height \(height), current hash \(Hex.encode(currentBlockHash)), commit hash \(Hex.encode(commitHash))"
    }
}
