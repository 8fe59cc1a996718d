import WeftCore

/// A `commitStatus` call (docs/wire.md): where transaction `txID` was committed and with which code,
/// waiting up to `timeoutMilliseconds` for it to commit. The peer answers with a `TransactionStatus`
/// from its ledger — as soon as the transaction is there, so a client needs no block stream to learn
/// its outcome — or `deadlineExceeded` when it is not committed in time.
///
/// Canonical layout: `txID` (string), `timeoutMilliseconds` (u32).
public struct CommitStatusRequest: Hashable, Sendable, CanonicalCodable {
    /// The longest wait a peer grants one call.
    public static let maximumTimeoutMilliseconds: UInt32 = 120_000

    public var txID: String
    public var timeoutMilliseconds: UInt32

    public init(txID: String, timeoutMilliseconds: UInt32) {
        self.txID = txID
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(txID)
        writer.write(timeoutMilliseconds)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        txID = try reader.field("txID") { reader throws(DecodingError) in try reader.readString() }
        timeoutMilliseconds = try reader.field("timeoutMilliseconds") { reader throws(DecodingError) in try reader.readUInt32() }
    }
}
