import WeftCore

/// What the committer decided about one envelope of a block, in block order: its txID, its validation
/// code, and the writes of its read-write set. The ledger does not parse envelopes; this is its input.
///
/// Only a `.valid` transaction's writes are applied (and hashed into the commit hash); the writes of an
/// invalid transaction are ignored, so the committer may pass them or not. Within one transaction the
/// last write to a key wins.
public struct CommittedTransaction: Sendable, Equatable {
    /// The transaction id (hex of SHA-256(nonce ‖ creator)); may be empty for an envelope that could not
    /// be parsed. Lookups by txID find the first transaction in chain order with that id.
    public var txID: String
    /// The validation outcome.
    public var validationCode: ValidationCode
    /// The transaction's writes, in the order the simulator recorded them.
    public var writes: [KVWrite]

    /// Creates a committed transaction.
    public init(txID: String, validationCode: ValidationCode, writes: [KVWrite] = []) {
        self.txID = txID
        self.validationCode = validationCode
        self.writes = writes
    }
}
