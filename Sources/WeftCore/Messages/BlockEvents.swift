/// What a committed block meant for clients: each transaction's id and validation code, and the
/// chaincode events of the valid ones. Streamed to subscribers after each commit.
///
/// Canonical layout: `blockNumber` (u64), `transactions` (list of TransactionEvent: `txID` string,
/// `txNumber` u32, `code` ValidationCode, `chaincodeEvent` optional ChaincodeEvent), `commitHash` (bytes).
public struct BlockEvents: Sendable, Hashable, CanonicalCodable {
    /// One transaction's outcome.
    public struct TransactionEvent: Sendable, Hashable, CanonicalCodable {
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

        public func encode(to writer: inout ByteWriter) {
            writer.write(txID)
            writer.write(txNumber)
            writer.write(code)
            writer.write(chaincodeEvent)
        }

        public init(from reader: inout ByteReader) throws(DecodingError) {
            txID = try reader.readString()
            txNumber = try reader.readUInt32()
            code = try reader.read()
            chaincodeEvent = try reader.readOptional(ChaincodeEvent.self)
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

    public func encode(to writer: inout ByteWriter) {
        writer.write(blockNumber)
        writer.write(transactions)
        writer.write(lengthPrefixed: commitHash)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        blockNumber = try reader.readUInt64()
        transactions = try reader.readArray(of: TransactionEvent.self, minimumElementSize: 10)
        commitHash = try reader.readLengthPrefixed()
    }
}
