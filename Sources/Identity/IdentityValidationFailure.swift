#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why an identity was not accepted. Each reason is its own case, so validators can report it and
/// map it to a validation code.
public enum IdentityValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// No organization of the channel has this MSP id.
    case unknownOrganization(mspID: String)
    /// The certificate bytes are not one valid X.509 certificate with a P-256 key.
    case malformedCertificate(String)
    /// The certificate is a CA certificate; identities are end-entity certificates.
    case certificateAuthorityAsIdentity
    /// The certificate does not chain to the organization's CA (another CA, a tampered signature, …).
    case notSignedByOrgCA(String)
    /// The certificate (or its CA) expired before the validation time.
    case expired(String)
    /// The certificate (or its CA) is not valid yet at the validation time.
    case notYetValid(String)
    /// The organization revoked the certificate (serial number in lower-case hex).
    case revoked(serialNumber: String)
    /// The certificate names no role (client, peer, orderer, admin) in its OU.
    case missingRole
    /// The certificate names a role its organization may not grant: `orderer` from an organization
    /// that is not an orderer organization of the channel, or `peer` from an orderer organization.
    case roleNotGrantedByOrganization(role: Role, mspID: String)
    /// A TLS certificate that no member organization's TLS CA issued.
    case unknownTLSIssuer(String)
    /// The identity has a role, but not the one the action needs.
    case wrongRole(expected: Role, actual: Role)

    public var description: String {
        switch self {
        case .unknownOrganization(let mspID): "unknown organization: no MSP with id '\(mspID)'"
        case .malformedCertificate(let why): "malformed certificate: \(why)"
        case .certificateAuthorityAsIdentity: "a CA certificate cannot act as an identity"
        case .notSignedByOrgCA(let why): "certificate not issued by the organization's CA: \(why)"
        case .expired(let why): "certificate expired: \(why)"
        case .notYetValid(let why): "certificate not yet valid: \(why)"
        case .revoked(let serial): "certificate revoked (serial \(serial))"
        case .missingRole: "certificate has no role OU (client, peer, orderer or admin)"
        case let .roleNotGrantedByOrganization(role, mspID):
            role == .orderer
                ? "\(mspID) is not an orderer organization of the channel, so its certificates cannot carry the orderer role"
                : "\(mspID) is an orderer organization, so its certificates cannot carry the \(role) role"
        case .unknownTLSIssuer(let issuer): "TLS certificate not issued by the TLS CA of any member organization (issuer \(issuer))"
        case let .wrongRole(expected, actual): "role \(actual) cannot act as \(expected)"
        }
    }
}
