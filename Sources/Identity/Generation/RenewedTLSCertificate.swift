#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `CryptoMaterialRenewal.renewTLS` did: the new TLS certificate of one identity, and whether its
/// key changed. Paths are relative to `directory`, like those of `CryptoMaterial`.
public struct RenewedTLSCertificate: Codable, Hashable, Sendable {
    /// The crypto material folder (the one holding `crypto.json`).
    public var directory: String
    /// The identity's name, e.g. `orderer0.orderer`.
    public var identity: String
    /// Its organization's MSP id.
    public var mspID: String
    /// Its role.
    public var role: Role
    /// The TLS certificate that was replaced (`tls/cert.pem`).
    public var certificatePath: String
    /// The TLS private key (`tls/key.pem`, mode 0600), kept or replaced.
    public var privateKeyPath: String
    /// Serial number of the new certificate, lower-case hex.
    public var serialNumber: String
    /// Serial number of the certificate it replaced.
    public var previousSerialNumber: String
    /// Start of the new certificate's validity (an hour before the renewal).
    public var notBefore: Date
    /// End of the new certificate's validity.
    public var notAfter: Date
    /// Whether the certificate carries a different public key than the one it replaced. When it does,
    /// whoever pins the old key (an orderer's consenter entry in a channel configuration) must be
    /// updated before the identity is trusted again.
    public var keyReplaced: Bool

    /// A description of a renewal.
    public init(
        directory: String, identity: String, mspID: String, role: Role, certificatePath: String, privateKeyPath: String,
        serialNumber: String, previousSerialNumber: String, notBefore: Date, notAfter: Date, keyReplaced: Bool
    ) {
        self.directory = directory
        self.identity = identity
        self.mspID = mspID
        self.role = role
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.serialNumber = serialNumber
        self.previousSerialNumber = previousSerialNumber
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.keyReplaced = keyReplaced
    }
}
