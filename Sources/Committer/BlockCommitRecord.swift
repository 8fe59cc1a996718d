import WeftCore

/// What the commit of one block measured: handed to `Committer.Configuration.observer` after the
/// block is committed (the node turns it into metrics).
public struct BlockCommitRecord: Sendable {
    /// The block's number.
    public var blockNumber: UInt64
    /// Each transaction's validation code and, when it named a chaincode installed on the channel,
    /// that chaincode; in block order.
    public var transactions: [(code: ValidationCode, chaincode: String?)]
    /// Each transaction's txID (empty when its envelope had none), in block order: traces find the
    /// transactions they follow by it.
    public var txIDs: [String]
    /// How long the commit waited for the block's signature and policy checks (they run in parallel,
    /// ahead of the commit).
    public var signatureChecks: Duration
    /// The duplicate, MVCC and phantom checks.
    public var mvcc: Duration
    /// The SQLite transaction that stored the block and its writes.
    public var ledgerCommit: Duration

    /// Creates a record.
    public init(blockNumber: UInt64, transactions: [(code: ValidationCode, chaincode: String?)], txIDs: [String] = [],
                signatureChecks: Duration, mvcc: Duration, ledgerCommit: Duration) {
        self.blockNumber = blockNumber
        self.transactions = transactions
        self.txIDs = txIDs
        self.signatureChecks = signatureChecks
        self.mvcc = mvcc
        self.ledgerCommit = ledgerCommit
    }
}
