import WeftCore

/// What a committed block meant for clients: each transaction's id and validation code, and the
/// chaincode events of the valid ones. Streamed to subscribers after each commit.
public struct BlockEvents: Sendable, Hashable {
    /// One transaction's outcome.
    public struct TransactionEvent: Sendable, Hashable {
        public var txID: String
        public var txNumber: UInt32
        public var code: ValidationCode
        /// The chaincode event, for valid transactions that set one.
        public var chaincodeEvent: ChaincodeEvent?

        public init(txID: String, txNumber: UInt32, code: ValidationCode, chaincodeEvent: ChaincodeEvent?) {
            self.txID = txID
            self.txNumber = txNumber
            self.code = code
            self.chaincodeEvent = chaincodeEvent
        }
    }

    public var blockNumber: UInt64
    public var transactions: [TransactionEvent]
    /// The chained commit hash after this block.
    public var commitHash: [UInt8]

    public init(blockNumber: UInt64, transactions: [TransactionEvent], commitHash: [UInt8]) {
        self.blockNumber = blockNumber
        self.transactions = transactions
        self.commitHash = commitHash
    }
}
