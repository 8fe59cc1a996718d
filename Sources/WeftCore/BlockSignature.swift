/// An orderer's signature over a block.
///
/// The signed message is the block's 32-byte header hash (`BlockHeader.hash`: SHA-256 of the canonical
/// header), signed with ECDSA P-256 over SHA-256 of that message, DER-encoded, low S. Signing the
/// header hash binds the block number, the previous block and, through the Merkle root, every
/// envelope; metadata is not covered because the peer fills in validation flags and the commit hash.
///
/// Canonical layout: `signer` (SerializedIdentity), `signature` (bytes).
public struct BlockSignature: Hashable, Sendable, CanonicalCodable {
    /// The orderer that signed.
    public var signer: SerializedIdentity
    /// The DER-encoded ECDSA signature over the header hash.
    public var signature: [UInt8]

    /// Creates a signature record.
    public init(signer: SerializedIdentity, signature: [UInt8]) {
        self.signer = signer
        self.signature = signature
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(signer)
        writer.write(lengthPrefixed: signature)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        signer = try reader.read()
        signature = try reader.readLengthPrefixed()
    }
}
