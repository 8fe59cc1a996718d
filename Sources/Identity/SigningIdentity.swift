#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

/// An identity that can sign: its MSP id, certificate and private key.
public struct SigningIdentity: Sendable {
    /// The organization's MSP id.
    public let mspID: String
    /// The certificate.
    public let certificate: Certificate
    /// The private key matching the certificate.
    public let signingKey: P256SigningKey

    /// Pairs a certificate with its key; throws when the key is not the certificate's.
    public init(mspID: String, certificate: Certificate, signingKey: P256SigningKey) throws(IdentityError) {
        guard certificate.publicKey == signingKey.publicKey else {
            throw .invalidMembership("the private key does not belong to \(certificate)")
        }
        self.mspID = mspID
        self.certificate = certificate
        self.signingKey = signingKey
    }

    /// The identity as it travels: (MSP id, certificate DER).
    public var serialized: SerializedIdentity {
        SerializedIdentity(mspID: mspID, certificate: certificate.derRepresentation)
    }

    /// A low-S ECDSA P-256 signature over SHA-256(`message`).
    public func signature(for message: some WeftCrypto.ContiguousBytes) throws(CryptoError) -> [UInt8] {
        try signingKey.signature(for: message)
    }

    /// A low-S ECDSA P-256 signature over a SHA-256 digest the caller computed (32 bytes).
    public func signature(forDigest digest: [UInt8]) throws(CryptoError) -> [UInt8] {
        try signingKey.signature(forDigest: digest)
    }

    /// What `identity.json` holds.
    struct Description: Codable {
        let mspID: String
        let name: String
        let role: Role
    }

    /// Reads an identity folder as `weft crypto generate` writes it: `identity.json` (MSP id, name,
    /// role), `cert.pem`, `key.pem`.
    public static func load(from directory: URL) throws(IdentityError) -> SigningIdentity {
        let descriptionURL = directory.appendingPathComponent("identity.json")
        let description: Description
        do {
            description = try JSONDecoder().decode(Description.self, from: Data(MaterialFiles.read(descriptionURL).utf8))
        } catch let error as IdentityError {
            throw error
        } catch {
            throw .malformedMaterial(path: descriptionURL.path, reason: "expected {\"mspID\", \"name\", \"role\"}: \(error)")
        }
        let certificateURL = directory.appendingPathComponent("cert.pem")
        let keyURL = directory.appendingPathComponent("key.pem")
        let certificate: Certificate
        let key: P256SigningKey
        do { certificate = try Certificate(pemRepresentation: MaterialFiles.read(certificateURL)) } catch {
            throw .malformedMaterial(path: certificateURL.path, reason: "\(error)")
        }
        do { key = try P256SigningKey(pemRepresentation: MaterialFiles.read(keyURL)) } catch {
            throw .malformedMaterial(path: keyURL.path, reason: "\(error)")
        }
        return try SigningIdentity(mspID: description.mspID, certificate: certificate, signingKey: key)
    }
}
