/// A request to run a chaincode function: what the client asks endorsers to simulate.
///
/// Canonical layout: `header` (ProposalHeader), `chaincode` (string), `function` (string),
/// `arguments` (u32 count, then each as bytes).
public struct Proposal: Hashable, Sendable, CanonicalCodable {
    /// Channel, txID, creator, nonce and timestamp.
    public var header: ProposalHeader
    /// The chaincode's registered name, e.g. `asset-transfer` or `evm`.
    public var chaincode: String
    /// The function to invoke.
    public var function: String
    /// The function's arguments, as bytes (UTF-8 for text arguments).
    public var arguments: [[UInt8]]

    /// Creates a proposal.
    public init(header: ProposalHeader, chaincode: String, function: String, arguments: [[UInt8]]) {
        self.header = header
        self.chaincode = chaincode
        self.function = function
        self.arguments = arguments
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(header)
        writer.write(chaincode)
        writer.write(function)
        writer.write(arguments.map(Bytes.init))
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        header = try reader.read()
        chaincode = try reader.readString()
        function = try reader.readString()
        arguments = try reader.readArray(of: Bytes.self, minimumElementSize: 4).map(\.bytes)
    }
}

/// A proposal as it travels: the exact bytes the creator signed and the signature over them.
///
/// Canonical layout: `proposalBytes` (bytes), `signature` (bytes, DER ECDSA P-256 over SHA-256 of
/// `proposalBytes`).
public struct SignedProposal: Hashable, Sendable, CanonicalCodable {
    /// The canonical bytes of a `Proposal`, kept as signed.
    public var proposalBytes: [UInt8]
    /// The creator's signature over `proposalBytes`.
    public var signature: [UInt8]

    /// Wraps signed bytes.
    public init(proposalBytes: [UInt8], signature: [UInt8]) {
        self.proposalBytes = proposalBytes
        self.signature = signature
    }

    /// Decodes the proposal inside.
    public func proposal() throws(DecodingError) -> Proposal { try Proposal(canonicalBytes: proposalBytes) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(lengthPrefixed: proposalBytes)
        writer.write(lengthPrefixed: signature)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        proposalBytes = try reader.readLengthPrefixed()
        signature = try reader.readLengthPrefixed()
    }
}
