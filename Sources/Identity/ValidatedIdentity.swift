#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

/// An identity that passed validation: its organization, role, parsed certificate and public key.
public struct ValidatedIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The identity as it travels in proposals and endorsements.
    public let serialized: SerializedIdentity
    /// The organization's policy name, e.g. `Org1`.
    public let organization: String
    /// The parsed certificate.
    public let certificate: Certificate
    /// The role from the certificate's OU (`admin` for a listed administrator without a role OU).
    public let role: Role
    /// Whether the identity is an administrator: the `admin` OU, or listed by its organization.
    public let isAdmin: Bool

    /// The organization's MSP id.
    public var mspID: String { serialized.mspID }

    /// The key that checks this identity's signatures.
    public var publicKey: P256VerifyingKey { certificate.publicKey }

    /// Whether the identity may act as `role` (administrators act as `admin` whatever their OU).
    public func hasRole(_ wanted: Role) -> Bool {
        role == wanted || (wanted == .admin && isAdmin)
    }

    /// `Org1MSP peer (CN=peer0.org1)`.
    public var description: String {
        "\(mspID) \(role)\(isAdmin && role != .admin ? "+admin" : "") (CN=\(certificate.subject.commonName ?? "?"))"
    }

    /// One signer is one key of one organization: two certificates for the same key (a re-issued
    /// certificate, or a high-S twin of the CA's signature) are the same signer, so a policy never
    /// counts them twice.
    public static func == (lhs: ValidatedIdentity, rhs: ValidatedIdentity) -> Bool {
        lhs.mspID == rhs.mspID && lhs.publicKey == rhs.publicKey
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mspID)
        hasher.combine(publicKey)
    }
}
