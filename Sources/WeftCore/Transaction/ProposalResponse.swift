/// The result of simulating a proposal: what every endorser signs and what must be byte-identical
/// across the endorsements of one transaction.
///
/// Canonical layout: `proposalHash` (bytes: SHA-256 of the signed proposal bytes), `chaincode`
/// (string), `readWriteSet` (ReadWriteSet), `event` (optional ChaincodeEvent), `response`
/// (ChaincodeResponse).
public struct ProposalResponsePayload: Hashable, Sendable, CanonicalCodable {
    /// Binds the result to the exact proposal simulated.
    public var proposalHash: [UInt8]
    /// The chaincode that ran (its endorsement policy applies).
    public var chaincode: String
    public var readWriteSet: ReadWriteSet
    public var event: ChaincodeEvent?
    public var response: ChaincodeResponse

    public init(
        proposalHash: [UInt8], chaincode: String, readWriteSet: ReadWriteSet,
        event: ChaincodeEvent?, response: ChaincodeResponse
    ) {
        self.proposalHash = proposalHash
        self.chaincode = chaincode
        self.readWriteSet = readWriteSet
        self.event = event
        self.response = response
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(lengthPrefixed: proposalHash)
        writer.write(chaincode)
        writer.write(readWriteSet)
        writer.write(event)
        writer.write(response)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        proposalHash = try reader.readLengthPrefixed()
        chaincode = try reader.readString()
        readWriteSet = try reader.read()
        event = try reader.readOptional(ChaincodeEvent.self)
        response = try reader.read()
    }
}

/// A peer's signature over a proposal response payload.
///
/// Canonical layout: `endorser` (SerializedIdentity), `signature` (bytes). The signature is DER ECDSA
/// P-256 over SHA-256(`payloadBytes` ‖ canonicalBytes(`endorser`)).
public struct Endorsement: Hashable, Sendable, CanonicalCodable {
    public var endorser: SerializedIdentity
    public var signature: [UInt8]

    public init(endorser: SerializedIdentity, signature: [UInt8]) {
        self.endorser = endorser
        self.signature = signature
    }

    /// The bytes an endorser signs: the payload bytes followed by its own serialized identity.
    public static func signedBytes(payloadBytes: [UInt8], endorser: SerializedIdentity) -> [UInt8] {
        var writer = ByteWriter(capacity: payloadBytes.count + endorser.certificate.count + 64)
        writer.write(raw: payloadBytes)
        writer.write(endorser)
        return writer.bytes
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(endorser)
        writer.write(lengthPrefixed: signature)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        endorser = try reader.read()
        signature = try reader.readLengthPrefixed()
    }
}

/// An endorser's answer to a signed proposal.
///
/// Canonical layout: `status` (u32: 200 endorsed, otherwise refused), `message` (string),
/// `payloadBytes` (bytes: canonical ProposalResponsePayload, empty when refused), `endorsement`
/// (optional Endorsement).
public struct ProposalResponse: Hashable, Sendable, CanonicalCodable {
    public var status: UInt32
    public var message: String
    /// The payload exactly as signed by the endorsement.
    public var payloadBytes: [UInt8]
    public var endorsement: Endorsement?

    public init(status: UInt32, message: String, payloadBytes: [UInt8], endorsement: Endorsement?) {
        self.status = status
        self.message = message
        self.payloadBytes = payloadBytes
        self.endorsement = endorsement
    }

    /// A refusal (the proposal was not simulated or not endorsed) with a reason.
    public static func refused(_ message: String, status: UInt32 = 403) -> ProposalResponse {
        .init(status: status, message: message, payloadBytes: [], endorsement: nil)
    }

    /// Decodes the payload.
    public func payload() throws(DecodingError) -> ProposalResponsePayload {
        try ProposalResponsePayload(canonicalBytes: payloadBytes)
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(status)
        writer.write(message)
        writer.write(lengthPrefixed: payloadBytes)
        writer.write(endorsement)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        status = try reader.readUInt32()
        message = try reader.readString()
        payloadBytes = try reader.readLengthPrefixed()
        endorsement = try reader.readOptional(Endorsement.self)
    }
}
