/// Who signed something: an organization's MSP id and the signer's X.509 certificate (DER).
///
/// Canonical layout: `mspID` (string), `certificate` (bytes). This is the `creator` of proposals and
/// envelopes and the `endorser` of endorsements; `txID = hex(SHA-256(nonce ‖ canonicalBytes(creator)))`.
public struct SerializedIdentity: Hashable, Sendable, CanonicalCodable {
    /// The organization's MSP id, e.g. `Org1MSP`.
    public var mspID: String
    /// The signer's certificate, DER-encoded.
    public var certificate: [UInt8]

    /// Creates an identity from an MSP id and a DER certificate.
    public init(mspID: String, certificate: [UInt8]) {
        self.mspID = mspID
        self.certificate = certificate
    }

    /// Feeds the certificate to the hasher in one piece: an array of bytes hashes byte by byte, and
    /// identities key the caches every signature check goes through (equal identities still hash
    /// equally: the same MSP id, length and bytes).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(mspID)
        hasher.combine(certificate.count)
        certificate.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(mspID)
        writer.write(lengthPrefixed: certificate)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        mspID = try reader.readString()
        certificate = try reader.readLengthPrefixed()
    }
}
