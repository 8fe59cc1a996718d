import Foundation
import Identity
import Testing
import WeftCore
@testable import WeftCrypto

/// One peer cannot count as two endorsers: certificates signed with a high S are refused (their
/// low-S twin is the only accepted form), and signers are counted by key, not by certificate bytes.
@Suite struct SignerUniquenessTests {
    @Test func everyCertificateWeftIssuesHasALowSSignature() throws {
        let org = try TestOrganization("Org1")
        for index in 0..<24 {
            #expect(try org.certificate("peer\(index).org1", units: ["peer"]).hasLowSSignature)
        }
    }

    @Test func aHighSCertificateIsRefused() throws {
        let org = try TestOrganization("Org1")
        let membership = try Membership(organizations: [org.organization()])
        let key = try P256SigningKey()
        let template = CertificateTemplate(
            subject: DistinguishedName(organization: "Org1", organizationalUnits: ["peer"], commonName: "peer0.org1"),
            publicKey: key.publicKey, notBefore: TestOrganization.start, notAfter: TestOrganization.start + 365 * TestOrganization.day)
        let twin = try org.authority.issue(template, highS: true)
        #expect(!twin.hasLowSSignature)
        // OpenSSL verifies it: only the form check stands between it and a second identity.
        #expect(try org.authority.trustStore().failure(verifying: twin, at: TestOrganization.now) == nil)
        let failure = membership.validate(org.serialized(twin), at: TestOrganization.now)
        guard case .failure(.malformedCertificate(let why)) = failure else {
            Issue.record("expected a refusal, got \(failure)")
            return
        }
        #expect(why.contains("high S"))
    }

    @Test func twoCertificatesOfOneKeyAreOneSigner() throws {
        let org = try TestOrganization("Org1")
        let membership = try Membership(organizations: [org.organization()])
        let key = try P256SigningKey()
        func certificate() throws -> Certificate {
            try org.authority.issue(CertificateTemplate(
                subject: DistinguishedName(organization: "Org1", organizationalUnits: ["peer"], commonName: "peer0.org1"),
                publicKey: key.publicKey, notBefore: TestOrganization.start, notAfter: TestOrganization.start + 365 * TestOrganization.day))
        }
        let first = try membership.validate(org.serialized(try certificate()), at: TestOrganization.now).get()
        let second = try membership.validate(org.serialized(try certificate()), at: TestOrganization.now).get()
        #expect(first.serialized != second.serialized, "two different certificates")
        let policy = try EndorsementPolicy("OutOf(2, 'Org1.peer', 'Org1.peer')")
        #expect(!policy.isSatisfied(by: [first, second], membership: membership))
        let other = try membership.validate(org.serialized(try org.certificate("peer1.org1", units: ["peer"])), at: TestOrganization.now).get()
        #expect(policy.isSatisfied(by: [first, other], membership: membership))
    }
}
