/// An endorsed transaction: the signed proposal, the response payload every endorser signed, and their
/// endorsements. It is the payload of an `Envelope`.
///
/// Canonical layout: `signedProposal` (SignedProposal), `responsePayloadBytes` (bytes),
/// `endorsements` (u32 count, then Endorsement each).
public struct Transaction: Hashable, Sendable, CanonicalCodable {
    /// The proposal as the client signed it (its header holds channel, txID and creator).
    public var signedProposal: SignedProposal
    /// The canonical ProposalResponsePayload bytes, exactly as endorsed.
    public var responsePayloadBytes: [UInt8]
    public var endorsements: [Endorsement]

    public init(signedProposal: SignedProposal, responsePayloadBytes: [UInt8], endorsements: [Endorsement]) {
        self.signedProposal = signedProposal
        self.responsePayloadBytes = responsePayloadBytes
        self.endorsements = endorsements
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(signedProposal)
        writer.write(lengthPrefixed: responsePayloadBytes)
        writer.write(endorsements)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        signedProposal = try reader.read()
        responsePayloadBytes = try reader.readLengthPrefixed()
        endorsements = try reader.readArray(of: Endorsement.self, minimumElementSize: 12)
    }
}

/// What a client broadcasts to the ordering service and what a block carries: a transaction's bytes
/// and the creator's signature over them.
///
/// Canonical layout: `payload` (bytes: canonical Transaction), `signature` (bytes: DER ECDSA P-256 over
/// SHA-256 of `payload`, by the proposal's creator).
public struct Envelope: Hashable, Sendable, CanonicalCodable {
    public var payload: [UInt8]
    public var signature: [UInt8]

    public init(payload: [UInt8], signature: [UInt8]) {
        self.payload = payload
        self.signature = signature
    }

    /// Decodes the transaction inside.
    public func transaction() throws(DecodingError) -> Transaction { try Transaction(canonicalBytes: payload) }

    public func encode(to writer: inout ByteWriter) {
        writer.write(lengthPrefixed: payload)
        writer.write(lengthPrefixed: signature)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        payload = try reader.readLengthPrefixed()
        signature = try reader.readLengthPrefixed()
    }
}
