import WeftCore

/// Where a transaction sits in the chain and what was decided about it.
public struct TransactionStatus: Sendable, Equatable {
    /// The transaction id.
    public var txID: String
    /// The block that holds it.
    public var blockNumber: UInt64
    /// Its position in the block.
    public var txNumber: UInt32
    /// Its validation code.
    public var validationCode: ValidationCode

    public init(txID: String, blockNumber: UInt64, txNumber: UInt32, validationCode: ValidationCode) {
        self.txID = txID
        self.blockNumber = blockNumber
        self.txNumber = txNumber
        self.validationCode = validationCode
    }
}

/// A committed transaction with its envelope bytes.
public struct TransactionRecord: Sendable, Equatable {
    /// Where it is and its code.
    public var status: TransactionStatus
    /// The envelope bytes as ordered.
    public var envelope: [UInt8]

    public init(status: TransactionStatus, envelope: [UInt8]) {
        self.status = status
        self.envelope = envelope
    }
}
