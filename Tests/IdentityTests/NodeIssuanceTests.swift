import Foundation
import Testing
import WeftCore
import WeftCrypto
import WeftTestSupport
@testable import Identity

/// `weft crypto issue`'s engine: a new node of an existing organization, from that organization's
/// CAs, in the generator's layout and in `crypto.json`.
@Suite struct NodeIssuanceTests {
    @Test func anIssuedOrdererIsAMemberOfItsOrganizationAndListed() throws {
        let directory = try TemporaryDirectory("crypto-issue")
        defer { directory.remove() }
        let now = Date()
        _ = try CryptoMaterialGenerator.generate(CryptoSpecification.standard(organizations: 1, peers: 1, orderers: 1, users: 1), into: directory.url, now: now)
        let identity = try CryptoMaterialIssuance.addNode(in: directory.url, organization: "OrdererMSP", name: "orderer5.orderer", role: .orderer, now: now)
        #expect(identity.path == "ordererOrganizations/orderer/orderers/orderer5.orderer")

        let material = try CryptoMaterial.load(from: directory.url)
        let listed = try #require(material.identity(named: "orderer5.orderer"))
        #expect(listed.organization.mspID == "OrdererMSP" && listed.identity == identity)
        let organization = try Organization.load(mspDirectory: directory.url.appendingPathComponent(listed.organization.mspPath))
        let membership = try Membership(organizations: [organization])
        let signing = try SigningIdentity.load(from: directory.url.appendingPathComponent(identity.path))
        let validated = try membership.validate(signing.serialized, at: now).get()
        #expect(validated.role == .orderer && validated.mspID == "OrdererMSP")
        let tls = try Certificate(pemRepresentation: directory.read(identity.tlsCertificatePath))
        #expect(try membership.validateTLS(tls, at: now).get().role == .orderer)
        #expect(tls.subjectAlternativeNames.contains(.dnsName("orderer5.orderer")))

        #expect(throws: IdentityError.self) { try CryptoMaterialIssuance.addNode(in: directory.url, organization: "OrdererMSP", name: "orderer5.orderer", role: .orderer) }
        #expect(throws: IdentityError.self) { try CryptoMaterialIssuance.addNode(in: directory.url, organization: "Org9MSP", name: "orderer6.orderer", role: .orderer) }
    }
}
