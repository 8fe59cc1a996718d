#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

/// The organizations of a channel, ready to validate identities: each with a trust store of its CA
/// certificates. Immutable and safe to share between threads.
public struct Membership: Sendable {
    /// The organizations, sorted by name.
    public let organizations: [Organization]

    private struct Member: Sendable {
        let organization: Organization
        let trustStore: CertificateTrustStore
        let adminCertificates: Set<[UInt8]>
    }

    private let membersByMSPID: [String: Member]

    /// Builds the membership; throws when two organizations share a name or MSP id, or one has no CA.
    public init(organizations: [Organization]) throws(IdentityError) {
        var members: [String: Member] = [:]
        var names: Set<String> = []
        for organization in organizations {
            guard !organization.caCertificates.isEmpty else {
                throw .invalidMembership("organization \(organization.name) (\(organization.mspID)) has no CA certificate")
            }
            guard members[organization.mspID] == nil else {
                throw .invalidMembership("two organizations use the MSP id \(organization.mspID)")
            }
            guard names.insert(organization.name).inserted else {
                throw .invalidMembership("two organizations are named \(organization.name)")
            }
            let store: CertificateTrustStore
            do { store = try CertificateTrustStore(roots: organization.caCertificates) } catch { throw .crypto(error) }
            members[organization.mspID] = Member(
                organization: organization, trustStore: store,
                adminCertificates: Set(organization.adminCertificates.map(\.derRepresentation)))
        }
        self.membersByMSPID = members
        self.organizations = organizations.sorted { $0.name < $1.name }
    }

    /// The organization with this MSP id.
    public func organization(mspID: String) -> Organization? { membersByMSPID[mspID]?.organization }

    /// The organization a policy names: by name (`Org1`) or by MSP id (`Org1MSP`).
    public func organization(named reference: String) -> Organization? {
        organizations.first { $0.name == reference } ?? organization(mspID: reference)
    }

    /// Validates `identity` at `time`, without caching (see `IdentityValidator` for the hot path):
    /// its organization is known, its certificate parses, is an end-entity certificate, chains to the
    /// organization's CA with every certificate valid at `time`, is not revoked, and names a role.
    public func validate(_ identity: SerializedIdentity, at time: Date) -> Result<ValidatedIdentity, IdentityValidationFailure> {
        guard let member = membersByMSPID[identity.mspID] else { return .failure(.unknownOrganization(mspID: identity.mspID)) }
        let certificate: Certificate
        do {
            certificate = try Certificate(derRepresentation: identity.certificate)
        } catch {
            return .failure(.malformedCertificate(error.description))
        }
        guard !certificate.isCertificateAuthority else { return .failure(.certificateAuthorityAsIdentity) }
        if let failure = member.trustStore.failure(verifying: certificate, at: time) {
            return .failure(Self.classify(failure))
        }
        return assess(certificate, identity: identity, member: member)
    }

    /// The checks that do not depend on time: revocation and role.
    private func assess(
        _ certificate: Certificate, identity: SerializedIdentity, member: Member
    ) -> Result<ValidatedIdentity, IdentityValidationFailure> {
        if member.organization.revokedSerialNumbers.contains(certificate.serialNumberHex) {
            return .failure(.revoked(serialNumber: certificate.serialNumberHex))
        }
        let listedAdmin = member.adminCertificates.contains(certificate.derRepresentation)
        let ouRole = certificate.subject.organizationalUnits.lazy.compactMap { Role(rawValue: $0) }.first
        guard let role = ouRole ?? (listedAdmin ? .admin : nil) else { return .failure(.missingRole) }
        return .success(ValidatedIdentity(
            serialized: identity, organization: member.organization.name, certificate: certificate,
            role: role, isAdmin: role == .admin || listedAdmin))
    }

    /// The window in which a chain that verified stays valid: the certificate's own validity
    /// intersected with that of every CA of its organization whose subject is the certificate's issuer.
    func validityWindow(of certificate: Certificate, mspID: String) -> ClosedRange<Date>? {
        guard let member = membersByMSPID[mspID] else { return nil }
        var start = certificate.notBefore
        var end = certificate.notAfter
        for ca in member.organization.caCertificates where ca.subject == certificate.issuer {
            start = max(start, ca.notBefore)
            end = min(end, ca.notAfter)
        }
        return start <= end ? start...end : nil
    }

    private static func classify(_ failure: CertificateVerificationFailure) -> IdentityValidationFailure {
        switch failure.reason {
        case .expired: .expired(failure.description)
        case .notYetValid: .notYetValid(failure.description)
        case .malformedField: .malformedCertificate(failure.description)
        case .signatureFailure, .untrustedIssuer, .issuerNotCA, .other: .notSignedByOrgCA(failure.description)
        }
    }
}
