#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

/// The organizations of a channel, ready to validate identities: each with a trust store of its CA
/// certificates and one of its TLS CA certificates. Immutable and safe to share between threads.
///
/// Roles are bound to organizations: when the channel names its orderer organizations, only they
/// grant the `orderer` role and they grant no `peer` role; any other organization's `orderer`
/// certificate is refused wherever it is presented (TLS, block signatures, endorsements).
public struct Membership: Sendable {
    /// The organizations, sorted by name.
    public let organizations: [Organization]

    private struct Member: Sendable {
        let organization: Organization
        let trustStore: CertificateTrustStore
        let tlsTrustStore: CertificateTrustStore?
        let adminCertificates: Set<[UInt8]>
    }

    private let membersByMSPID: [String: Member]
    /// MSP ids of the orderer organizations; nil when the channel does not say (no role binding).
    public let ordererMSPIDs: Set<String>?

    /// Builds the membership; throws when two organizations share a name or MSP id, or one has no CA.
    ///
    /// - Parameter ordererMSPIDs: the orderer organizations. When given, only they grant the
    ///   `orderer` role, and they grant no `peer` role.
    public init(organizations: [Organization], ordererMSPIDs: Set<String>? = nil) throws(IdentityError) {
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
            let tlsStore: CertificateTrustStore?
            do {
                store = try CertificateTrustStore(roots: organization.caCertificates)
                tlsStore = organization.tlsCACertificates.isEmpty ? nil : try CertificateTrustStore(roots: organization.tlsCACertificates)
            } catch { throw .crypto(error) }
            members[organization.mspID] = Member(
                organization: organization, trustStore: store, tlsTrustStore: tlsStore,
                adminCertificates: Set(organization.adminCertificates.map(\.derRepresentation)))
        }
        if let ordererMSPIDs, let unknown = ordererMSPIDs.first(where: { members[$0] == nil }) {
            throw .invalidMembership("orderer organization \(unknown) is not an organization of the channel")
        }
        self.membersByMSPID = members
        self.ordererMSPIDs = ordererMSPIDs
        self.organizations = organizations.sorted { $0.name < $1.name }
    }

    /// Whether `mspID` is an orderer organization (false when the channel names none).
    public func isOrdererOrganization(_ mspID: String) -> Bool { ordererMSPIDs?.contains(mspID) ?? false }

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

    /// Validates a TLS certificate at `time`: it is an end-entity certificate issued by the TLS CA of a
    /// member organization (which gives its MSP id), valid at `time`, not revoked, and names a role
    /// that organization may grant. The result's `serialized` identity is that MSP id with the TLS
    /// certificate.
    public func validateTLS(_ certificate: Certificate, at time: Date) -> Result<ValidatedIdentity, IdentityValidationFailure> {
        guard !certificate.isCertificateAuthority else { return .failure(.certificateAuthorityAsIdentity) }
        let issuers = membersByMSPID.values.filter { member in
            member.organization.tlsCACertificates.contains { $0.subject == certificate.issuer }
        }
        guard !issuers.isEmpty else { return .failure(.unknownTLSIssuer("\(certificate.issuer)")) }
        var firstFailure: IdentityValidationFailure?
        for member in issuers.sorted(by: { $0.organization.mspID < $1.organization.mspID }) {
            guard let store = member.tlsTrustStore else { continue }
            if let failure = store.failure(verifying: certificate, at: time) {
                firstFailure = firstFailure ?? Self.classify(failure)
                continue
            }
            let identity = SerializedIdentity(mspID: member.organization.mspID, certificate: certificate.derRepresentation)
            return assess(certificate, identity: identity, member: member)
        }
        return .failure(firstFailure ?? .unknownTLSIssuer("\(certificate.issuer)"))
    }

    /// The checks that do not depend on time: the signature form, revocation and role.
    private func assess(
        _ certificate: Certificate, identity: SerializedIdentity, member: Member
    ) -> Result<ValidatedIdentity, IdentityValidationFailure> {
        guard certificate.hasLowSSignature else {
            return .failure(.malformedCertificate("the CA's signature has a high S (or is not strict DER); its low-S twin is the only accepted form"))
        }
        if member.organization.revokedSerialNumbers.contains(certificate.serialNumberHex) {
            return .failure(.revoked(serialNumber: certificate.serialNumberHex))
        }
        let listedAdmin = member.adminCertificates.contains(certificate.derRepresentation)
        let ouRole = certificate.subject.organizationalUnits.lazy.compactMap { Role(rawValue: $0) }.first
        guard let role = ouRole ?? (listedAdmin ? .admin : nil) else { return .failure(.missingRole) }
        if let ordererMSPIDs {
            let isOrdererOrganization = ordererMSPIDs.contains(member.organization.mspID)
            if (role == .orderer && !isOrdererOrganization) || (role == .peer && isOrdererOrganization) {
                return .failure(.roleNotGrantedByOrganization(role: role, mspID: member.organization.mspID))
            }
        }
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
