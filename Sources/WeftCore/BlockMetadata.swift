/// The unhashed part of a block: who ordered it, and what the committing peer decided about it.
///
/// The orderer fills `ordererSignatures`; the ledger fills `validationFlags` (one code per envelope, in
/// block order) and `commitHash` when it commits the block.
///
/// Canonical layout: `ordererSignatures` (list<BlockSignature>), `validationFlags` (list<ValidationCode>),
/// `commitHash` (bytes; 32 bytes once committed, empty before).
public struct BlockMetadata: Hashable, Sendable, CanonicalCodable {
    /// The orderers' signatures over the header hash.
    public var ordererSignatures: [BlockSignature]
    /// One validation code per envelope, in block order; empty until committed.
    public var validationFlags: [ValidationCode]
    /// The chained commit hash after this block (docs/encoding.md); empty until committed.
    public var commitHash: [UInt8]

    /// Creates metadata; by default, the empty metadata of a block fresh from the orderer.
    public init(ordererSignatures: [BlockSignature] = [], validationFlags: [ValidationCode] = [], commitHash: [UInt8] = []) {
        self.ordererSignatures = ordererSignatures
        self.validationFlags = validationFlags
        self.commitHash = commitHash
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(ordererSignatures)
        writer.write(validationFlags)
        writer.write(lengthPrefixed: commitHash)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        ordererSignatures = try reader.readArray(minimumElementSize: 8)
        validationFlags = try reader.readArray(minimumElementSize: 1)
        commitHash = try reader.readLengthPrefixed()
    }
}
