import Foundation
import Identity
import Testing
import WeftCore
import WeftCrypto

/// Roles bound to organizations (only orderer organizations grant `orderer`; they grant no `peer`)
/// and TLS certificates validated against the organizations' TLS CAs.
@Suite struct RoleBindingTests {
    let org1: TestOrganization
    let orderer: TestOrganization
    let org1TLS: CertificateAuthority
    let ordererTLS: CertificateAuthority
    let membership: Membership

    init() throws {
        org1 = try TestOrganization("Org1")
        orderer = try TestOrganization("Orderer")
        func tlsCA(_ name: String) throws -> CertificateAuthority {
            try CertificateAuthority.selfSigned(
                subject: DistinguishedName(organization: name, commonName: "tlsca.\(name.lowercased())"),
                notBefore: TestOrganization.start, notAfter: TestOrganization.start + 3650 * TestOrganization.day)
        }
        org1TLS = try tlsCA("Org1")
        ordererTLS = try tlsCA("Orderer")
        func withTLS(_ organization: TestOrganization, _ ca: CertificateAuthority) -> Organization {
            var loaded = organization.organization()
            loaded.tlsCACertificates = [ca.certificate]
            return loaded
        }
        membership = try Membership(
            organizations: [withTLS(org1, org1TLS), withTLS(orderer, ordererTLS)], ordererMSPIDs: ["OrdererMSP"])
    }

    private func tlsCertificate(_ ca: CertificateAuthority, organization: String, role: String, name: String) throws -> Certificate {
        try ca.issue(CertificateTemplate(
            subject: DistinguishedName(organization: organization, organizationalUnits: [role], commonName: name),
            publicKey: P256SigningKey().publicKey,
            notBefore: TestOrganization.start, notAfter: TestOrganization.start + 365 * TestOrganization.day))
    }

    @Test func anOrdererCertificateFromAPeerOrganizationIsRefused() throws {
        // Org1's own CA mints O=Org1, OU=orderer, CN=orderer0.orderer: a valid chain, a forbidden role.
        let forged = try org1.certificate("orderer0.orderer", units: ["orderer"])
        let result = membership.validate(org1.serialized(forged), at: TestOrganization.now)
        #expect(result.failure == .roleNotGrantedByOrganization(role: .orderer, mspID: "Org1MSP"))
        #expect(result.failure?.description.contains("Org1MSP is not an orderer organization") == true)
        let tls = try tlsCertificate(org1TLS, organization: "Org1", role: "orderer", name: "orderer0.orderer")
        #expect(membership.validateTLS(tls, at: TestOrganization.now).failure == .roleNotGrantedByOrganization(role: .orderer, mspID: "Org1MSP"))
    }

    @Test func aPeerCertificateFromTheOrdererOrganizationIsRefused() throws {
        let forged = try orderer.certificate("peer0.org1", units: ["peer"])
        #expect(membership.validate(orderer.serialized(forged), at: TestOrganization.now).failure
            == .roleNotGrantedByOrganization(role: .peer, mspID: "OrdererMSP"))
    }

    @Test func rolesTheOrganizationGrantsAreAccepted() throws {
        let ordererCertificate = try orderer.certificate("orderer0.orderer", units: ["orderer"])
        #expect(try membership.validate(orderer.serialized(ordererCertificate), at: TestOrganization.now).get().role == .orderer)
        let peer = try org1.certificate("peer0.org1", units: ["peer"])
        #expect(try membership.validate(org1.serialized(peer), at: TestOrganization.now).get().role == .peer)
    }

    @Test func tlsCertificateTakesItsOrganizationFromTheIssuingTLSCA() throws {
        let tls = try tlsCertificate(ordererTLS, organization: "Orderer", role: "orderer", name: "orderer0.orderer")
        let validated = try membership.validateTLS(tls, at: TestOrganization.now).get()
        #expect(validated.mspID == "OrdererMSP")
        #expect(validated.role == .orderer)
        #expect(validated.serialized.certificate == tls.derRepresentation)
    }

    @Test func aSigningCertificateIsNotATLSCertificate() throws {
        // Issued by Org1's signing CA, not its TLS CA: TLS refuses it even though the MSP knows the CA.
        let signing = try org1.certificate("user1.org1", units: ["client"])
        #expect(membership.validateTLS(signing, at: TestOrganization.now).failure.map {
            if case .unknownTLSIssuer = $0 { true } else { false }
        } == true)
    }

    @Test func aTLSCertificateFromAnImpostorCAWithTheSameNameIsRefused() throws {
        let impostor = try CertificateAuthority.selfSigned(
            subject: DistinguishedName(organization: "Org1", commonName: "tlsca.org1"),
            notBefore: TestOrganization.start, notAfter: TestOrganization.start + 3650 * TestOrganization.day)
        let tls = try tlsCertificate(impostor, organization: "Org1", role: "client", name: "eve")
        let failure = membership.validateTLS(tls, at: TestOrganization.now).failure
        #expect(failure.map { if case .notSignedByOrgCA = $0 { true } else { false } } == true, "\(String(describing: failure))")
    }

    @Test func expiredTLSCertificateIsRefused() throws {
        let tls = try tlsCertificate(org1TLS, organization: "Org1", role: "client", name: "user1")
        let failure = membership.validateTLS(tls, at: TestOrganization.start + 400 * TestOrganization.day).failure
        #expect(failure.map { if case .expired = $0 { true } else { false } } == true)
    }

    @Test func anOrdererOrganizationMustBeAMember() throws {
        #expect(throws: IdentityError.self) {
            try Membership(organizations: [org1.organization()], ordererMSPIDs: ["OrdererMSP"])
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { failure } else { nil }
    }
}
