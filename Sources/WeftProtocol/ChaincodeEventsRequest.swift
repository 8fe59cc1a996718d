import WeftCore

/// A `chaincodeEvents` stream (docs/wire.md): the events of chaincode `chaincode` from block `start`
/// on, filtered by the peer. Each stream item is a `BlockEvents` holding only the valid transactions
/// of that block that set an event of that chaincode; blocks without any are not sent.
///
/// Canonical layout: `chaincode` (string), `start` (u64).
public struct ChaincodeEventsRequest: Hashable, Sendable, CanonicalCodable {
    public var chaincode: String
    public var start: UInt64

    public init(chaincode: String, start: UInt64) {
        self.chaincode = chaincode
        self.start = start
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(chaincode)
        writer.write(start)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        chaincode = try reader.field("chaincode") { reader throws(DecodingError) in try reader.readString() }
        start = try reader.field("start") { reader throws(DecodingError) in try reader.readUInt64() }
    }
}

extension BlockEvents {
    /// This block's valid transactions that set an event of `chaincode`; nil when there are none.
    public func filtered(toEventsOf chaincode: String) -> BlockEvents? {
        let matching = transactions.filter { $0.code == .valid && $0.chaincodeEvent?.chaincode == chaincode }
        return matching.isEmpty ? nil : BlockEvents(blockNumber: blockNumber, transactions: matching, commitHash: commitHash)
    }
}
