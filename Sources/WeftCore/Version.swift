/// The version of a key in world state: the position of the transaction that last wrote it.
/// A key absent from state has no version (`Version?` is nil).
///
/// Canonical layout: `blockNumber` (u64), `txNumber` (u32).
public struct Version: Hashable, Comparable, Sendable, CanonicalCodable, CustomStringConvertible {
    /// The block that holds the writing transaction.
    public var blockNumber: UInt64
    /// The writing transaction's position in that block.
    public var txNumber: UInt32

    /// Creates a version.
    public init(blockNumber: UInt64, txNumber: UInt32) {
        self.blockNumber = blockNumber
        self.txNumber = txNumber
    }

    public static func < (lhs: Version, rhs: Version) -> Bool {
        (lhs.blockNumber, lhs.txNumber) < (rhs.blockNumber, rhs.txNumber)
    }

    public var description: String { "\(blockNumber):\(txNumber)" }

    public func encode(to writer: inout ByteWriter) {
        writer.write(blockNumber)
        writer.write(txNumber)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        blockNumber = try reader.readUInt64()
        txNumber = try reader.readUInt32()
    }
}
