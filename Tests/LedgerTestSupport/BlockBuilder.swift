import Ledger
import WeftCore
import WeftCrypto

/// Builds well-linked blocks for tests: each envelope is the canonical bytes of its txID and writes, and
/// the header's previous hash and data hash are filled in.
public struct BlockBuilder: Sendable {
    /// The next block's number.
    public private(set) var height: UInt64 = 0
    /// The hash of the last built block.
    public private(set) var lastHash = BlockHeader.genesisPreviousHash

    public init() {}

    /// Continues a chain from `info`.
    public init(continuing info: ChainInfo) {
        height = info.height
        lastHash = info.currentBlockHash
    }

    /// The next block holding `transactions`, and the committer's input for it.
    public mutating func next(_ transactions: [CommittedTransaction]) -> (block: Block, transactions: [CommittedTransaction]) {
        let data = transactions.map(Self.envelope)
        let header = BlockHeader(number: height, previousHash: lastHash, dataHash: Block.dataHash(of: data))
        height += 1
        lastHash = header.hash
        return (Block(header: header, data: data), transactions)
    }

    /// A stand-in envelope: canonical txID and writes (the ledger does not parse envelopes).
    public static func envelope(_ transaction: CommittedTransaction) -> [UInt8] {
        var writer = ByteWriter()
        writer.write(transaction.txID)
        writer.write(transaction.writes)
        return writer.bytes
    }

    /// A valid transaction writing `values` (nil deletes) to keys of `namespace`.
    public static func tx(_ txID: String, _ values: [(String, String?)], namespace: String = "cc",
                          code: ValidationCode = .valid) -> CommittedTransaction {
        CommittedTransaction(
            txID: txID, validationCode: code,
            writes: values.map { KVWrite(namespace: namespace, key: $0.0, value: $0.1.map { Array($0.utf8) }) })
    }
}
