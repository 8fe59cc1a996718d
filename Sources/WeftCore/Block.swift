/// A block: a header in the hash chain, the envelopes it orders (as the bytes that were signed), and
/// metadata outside the header hash.
///
/// Canonical layout: `header` (BlockHeader), `data` (list<bytes>: the envelopes in order),
/// `metadata` (BlockMetadata).
public struct Block: Hashable, Sendable, CanonicalCodable {
    /// The hashed header.
    public var header: BlockHeader
    /// The envelopes, each as its canonical bytes, in the order the orderers agreed on.
    public var data: [[UInt8]]
    /// Signatures, validation flags and commit hash.
    public var metadata: BlockMetadata

    /// Creates a block.
    public init(header: BlockHeader, data: [[UInt8]], metadata: BlockMetadata = BlockMetadata()) {
        self.header = header
        self.data = data
        self.metadata = metadata
    }

    /// The block's height (`header.number`).
    public var number: UInt64 { header.number }

    public func encode(to writer: inout ByteWriter) {
        writer.write(header)
        writer.write(UInt32(truncatingIfNeeded: data.count))
        for envelope in data { writer.write(lengthPrefixed: envelope) }
        writer.write(metadata)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        header = try reader.read()
        data = try reader.readArray(of: Bytes.self, minimumElementSize: 4).map(\.bytes)
        metadata = try reader.read()
    }
}
