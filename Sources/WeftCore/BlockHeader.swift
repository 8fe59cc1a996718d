/// The hashed part of a block: its height, the hash of the block before it, and the RFC 6962 Merkle
/// root of its envelopes. Metadata (signatures, validation flags, commit hash) is outside the hash.
///
/// Canonical layout: `number` (u64), `previousHash` (bytes), `dataHash` (bytes). Both hashes are
/// 32-byte SHA-256 digests in every valid block; the length prefix keeps the encoding unambiguous even
/// for a malformed header. Block 0's `previousHash` is 32 zero bytes. The header hash
/// (`BlockHeader.hash`, in WeftCrypto) is SHA-256 of these canonical bytes.
public struct BlockHeader: Hashable, Sendable, CanonicalCodable {
    /// The block's height in the chain, starting at 0.
    public var number: UInt64
    /// The header hash of block `number - 1`; 32 zero bytes for block 0.
    public var previousHash: [UInt8]
    /// The RFC 6962 Merkle root over the block's envelope bytes.
    public var dataHash: [UInt8]

    /// The `previousHash` of block 0.
    public static let genesisPreviousHash = [UInt8](repeating: 0, count: 32)

    /// Creates a header.
    public init(number: UInt64, previousHash: [UInt8], dataHash: [UInt8]) {
        self.number = number
        self.previousHash = previousHash
        self.dataHash = dataHash
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(number)
        writer.write(lengthPrefixed: previousHash)
        writer.write(lengthPrefixed: dataHash)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        number = try reader.readUInt64()
        previousHash = try reader.readLengthPrefixed()
        dataHash = try reader.readLengthPrefixed()
    }
}
