import WeftCore

/// What `LedgerVerifier` found.
public struct LedgerVerificationReport: Sendable, Equatable {
    /// The first problem found: the block it concerns (nil when it concerns the file as a whole) and
    /// what is wrong.
    public struct Inconsistency: Sendable, Equatable, CustomStringConvertible {
        /// The block whose check failed, if the problem belongs to one block.
        public var blockNumber: UInt64?
        /// A sentence naming the problem.
        public var problem: String

        public var description: String {
            blockNumber.map { "block \($0): \(problem)" } ?? problem
        }
    }

    /// The height recorded by the savepoint.
    public var height: UInt64
    /// How many blocks passed every check before the walk stopped.
    public var blocksVerified: UInt64
    /// The chain info recorded by the savepoint.
    public var chainInfo: ChainInfo
    /// The first problem, or nil when the ledger is consistent.
    public var firstInconsistency: Inconsistency?
    /// Blocks below this were pruned: their headers, chain links, validation flags and txIDs were
    /// checked, their bodies and writes could not be (0: nothing pruned).
    public var prunedBelow: UInt64 = 0

    /// Whether every check passed.
    public var isConsistent: Bool { firstInconsistency == nil }
}
