import Foundation
import Testing
import WeftCore
import WeftCrypto
import WeftTestSupport
@testable import Identity

/// `weft crypto generate`'s engine: layout, permissions, openssl acceptance, overwrite protection,
/// YAML descriptions, and loading the material back as organizations and signing identities.
@Suite struct CryptoGenerationTests {
    @Test func everyCertificatePassesOpenSSLVerifyAgainstItsOrganizationCA() throws {
        let directory = try TemporaryDirectory("cryptogen")
        defer { directory.remove() }
        let material = try CryptoMaterialGenerator.generate(
            .standard(organizations: 2, peers: 2, orderers: 3, users: 1), into: directory.url)
        #expect(material.organizations.map(\.mspID) == ["OrdererMSP", "Org1MSP", "Org2MSP"])
        #expect(material.organizations.map { $0.identities.count } == [4, 4, 4])
        var verified = 0
        for organization in material.organizations {
            for identity in organization.identities {
                let outcome = try OpenSSLCommand.run(
                    ["verify", "-CAfile", organization.caCertificatePath, identity.certificatePath], in: directory.url)
                #expect(outcome.succeeded && outcome.output.contains(": OK"), "\(identity.name): \(outcome.output)")
                verified += 1
            }
            // And no organization's certificates pass another organization's CA.
            let other = material.organizations.first { $0.mspID != organization.mspID }!
            let foreign = try OpenSSLCommand.run(
                ["verify", "-CAfile", other.caCertificatePath, organization.identities[0].certificatePath], in: directory.url)
            #expect(!foreign.succeeded)
        }
        #expect(verified == 12)
    }

    @Test func layoutNamesAndPermissions() throws {
        let directory = try TemporaryDirectory("cryptogen-layout")
        defer { directory.remove() }
        let material = try CryptoMaterialGenerator.generate(
            .standard(organizations: 1, peers: 2, orderers: 1, users: 2), into: directory.url)
        let org1 = try #require(material.organization("Org1"))
        #expect(org1.path == "peerOrganizations/org1")
        #expect(org1.mspPath == "peerOrganizations/org1/msp")
        #expect(org1.identities.map(\.name) == ["peer0.org1", "peer1.org1", "Admin@org1", "User1@org1", "User2@org1"])
        #expect(org1.identities.map(\.role) == [.peer, .peer, .admin, .client, .client])
        #expect(org1.identities[0].hosts == ["peer0.org1", "localhost", "127.0.0.1"])
        let orderer = try #require(material.organization("OrdererMSP"))
        #expect(orderer.identities.map(\.name) == ["orderer0.orderer", "Admin@orderer"])
        #expect(orderer.identities[0].path == "ordererOrganizations/orderer/orderers/orderer0.orderer")

        let peer = try Certificate(pemRepresentation: directory.read(org1.identities[0].certificatePath))
        #expect(peer.subject == DistinguishedName(organization: "Org1", organizationalUnits: ["peer"], commonName: "peer0.org1"))
        #expect(peer.subjectAlternativeNames == [.dnsName("peer0.org1"), .dnsName("localhost"), .ipAddress("127.0.0.1")])
        let user = try Certificate(pemRepresentation: directory.read(org1.identities[3].certificatePath))
        #expect(user.subject.organizationalUnits == ["client"])
        #expect(user.subjectAlternativeNames.isEmpty)

        for organization in material.organizations {
            #expect(try mode(directory.file(organization.caPrivateKeyPath)) == 0o600)
            #expect(try mode(directory.file(organization.caCertificatePath)) == 0o644)
            for identity in organization.identities {
                #expect(try mode(directory.file(identity.privateKeyPath)) == 0o600, "\(identity.privateKeyPath)")
                #expect(try mode(directory.file(identity.certificatePath)) == 0o644)
            }
        }
        let manifest = try JSONDecoder().decode(CryptoMaterial.self, from: Data(directory.read("crypto.json").utf8))
        #expect(manifest == material)
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let directory = try TemporaryDirectory("cryptogen-force")
        defer { directory.remove() }
        let specification = CryptoSpecification.standard(organizations: 1, peers: 1, orderers: 1, users: 0)
        let first = try CryptoMaterialGenerator.generate(specification, into: directory.url)
        let keyPath = try #require(first.organization("Org1")?.identities.first?.privateKeyPath)
        let key = try directory.read(keyPath)
        #expect(throws: IdentityError.materialExists(path: directory.file("peerOrganizations").path)) {
            try CryptoMaterialGenerator.generate(specification, into: directory.url)
        }
        #expect(try directory.read(keyPath) == key)          // untouched
    }

    @Test func forceReplacesMaterial() throws {
        let directory = try TemporaryDirectory("cryptogen-replace")
        defer { directory.remove() }
        _ = try CryptoMaterialGenerator.generate(.standard(organizations: 3, peers: 1, orderers: 1, users: 0), into: directory.url)
        let second = try CryptoMaterialGenerator.generate(
            .standard(organizations: 1, peers: 1, orderers: 1, users: 0), into: directory.url, overwrite: true)
        #expect(second.organizations.count == 2)
        #expect(!FileManager.default.fileExists(atPath: directory.file("peerOrganizations/org3").path))
    }

    @Test func yamlDescription() throws {
        let yaml = """
        validityDays: 30
        ordererOrganization:
          name: Ordering
          orderers: 2
        peerOrganizations:
          - name: Bank
            mspID: BankMSP
            domain: bank.example
            peers: 1
            users: 2
          - name: Shop
            peers: 2
            users: 0
        """
        let specification = try CryptoSpecification(yaml: yaml)
        #expect(specification.peerOrganizations.map(\.name) == ["Bank", "Shop"])
        let directory = try TemporaryDirectory("cryptogen-yaml")
        defer { directory.remove() }
        let now = Date()
        let material = try CryptoMaterialGenerator.generate(specification, into: directory.url, now: now)
        #expect(material.organizations.map(\.mspID) == ["OrderingMSP", "BankMSP", "ShopMSP"])
        let bank = try #require(material.organization("Bank"))
        #expect(bank.identities.map(\.name) == ["peer0.bank.example", "Admin@bank.example", "User1@bank.example", "User2@bank.example"])
        let certificate = try Certificate(pemRepresentation: directory.read(bank.identities[0].certificatePath))
        #expect(abs(certificate.notAfter.timeIntervalSince(certificate.notBefore) - 30 * 24 * 3600) < 2)
        #expect(try #require(material.organization("Ordering")).identities.map(\.name) == ["orderer0.ordering", "orderer1.ordering", "Admin@ordering"])
    }

    @Test func invalidDescriptionsAreExplained() throws {
        func message(_ yaml: String) -> String {
            do {
                try CryptoSpecification(yaml: yaml).validate()
                return "no error"
            } catch { return error.description }
        }
        #expect(message("peerOrganizations: []\nordererOrganization: {orderers: 1}").contains("at least one peer organization"))
        #expect(message("ordererOrganization: {orderers: 1}").contains("missing 'peerOrganizations'"))
        #expect(message("peerOrganizations: [{name: Org1, peers: 1}]\nordererOrganization: {orderers: 1}").contains("missing 'users'"))
        #expect(message("peerOrganizations: [{name: Org1, peers: two, users: 1}]\nordererOrganization: {orderers: 1}")
            .contains("peerOrganizations[0].peers"))
        #expect(message("peerOrganizations: [{name: Org1, peers: 1, users: 0}]\nordererOrganization: {orderers: 0}")
            .contains("orderers must be between 1"))
        #expect(message("peerOrganizations: [{name: 'Org 1', peers: 1, users: 0}]\nordererOrganization: {orderers: 1}")
            .contains("letters, digits"))
        #expect(message("peerOrganizations: [{name: A, peers: 1, users: 0}, {name: A, peers: 1, users: 0}]\nordererOrganization: {orderers: 1}")
            .contains("must be unique"))
        #expect(message("peerOrganizations: [{name: A, peers: -1, users: 0}]\nordererOrganization: {orderers: 1}")
            .contains("between 0 and"))
        #expect(message("validityDays: 0\npeerOrganizations: [{name: A, peers: 1, users: 0}]\nordererOrganization: {orderers: 1}")
            .contains("validityDays"))
        #expect(message(": : :").contains("invalid crypto specification"))
    }

    @Test func generatedMaterialLoadsAndValidates() throws {
        let directory = try TemporaryDirectory("cryptogen-load")
        defer { directory.remove() }
        let material = try CryptoMaterialGenerator.generate(
            .standard(organizations: 2, peers: 1, orderers: 1, users: 1), into: directory.url)
        let organizations = try material.organizations.map { try Organization.load(mspDirectory: directory.file($0.mspPath)) }
        #expect(organizations.map(\.name) == ["Orderer", "Org1", "Org2"])
        #expect(organizations.allSatisfy { $0.caCertificates.count == 1 && $0.adminCertificates.count == 1 })
        let membership = try Membership(organizations: organizations)
        let validator = IdentityValidator(membership: membership)
        var endorsers: [ValidatedIdentity] = []
        for organization in material.organizations {
            for generated in organization.identities {
                let identity = try SigningIdentity.load(from: directory.file(generated.path))
                #expect(identity.mspID == organization.mspID)
                let validated = try validator.validate(identity.serialized, at: Date(), requiring: generated.role).get()
                #expect(validated.role == generated.role)
                let message = Array("proposal".utf8)
                #expect(validated.publicKey.isValidSignature(try identity.signature(for: message), for: message))
                if generated.role == .peer { endorsers.append(validated) }
            }
        }
        #expect(try EndorsementPolicy("AND('Org1.peer', 'Org2.peer')").isSatisfied(by: endorsers, membership: membership))
        // The channel here has three organizations (the orderer organization has no peers).
        #expect(try EndorsementPolicy("MAJORITY peer").isSatisfied(by: endorsers, membership: membership))
        #expect(try EndorsementPolicy("ALL peer").isSatisfied(by: endorsers, membership: membership) == false)
        #expect(try EndorsementPolicy("ALL admin").isSatisfied(by: endorsers, membership: membership) == false)
    }

    @Test func loadingBrokenMaterialNamesTheFile() throws {
        let directory = try TemporaryDirectory("cryptogen-broken")
        defer { directory.remove() }
        let material = try CryptoMaterialGenerator.generate(
            .standard(organizations: 1, peers: 1, orderers: 1, users: 0), into: directory.url)
        let org1 = try #require(material.organization("Org1"))
        let msp = directory.file(org1.mspPath)
        try "0a0b\n# comment\n\nnot-hex\n".write(to: msp.appendingPathComponent("revoked.txt"), atomically: true, encoding: .utf8)
        #expect(throws: IdentityError.malformedMaterial(path: msp.appendingPathComponent("revoked.txt").path,
                                                        reason: "line 4: 'not-hex' is not a hex serial number")) {
            try Organization.load(mspDirectory: msp)
        }
        try "0A:0B # the first user\n".write(to: msp.appendingPathComponent("revoked.txt"), atomically: true, encoding: .utf8)
        #expect(try Organization.load(mspDirectory: msp).revokedSerialNumbers == ["0a0b"])
        try "{}".write(to: msp.appendingPathComponent("msp.json"), atomically: true, encoding: .utf8)
        #expect(throws: IdentityError.self) { try Organization.load(mspDirectory: msp) }
        let peer = directory.file(org1.identities[0].path)
        try "garbage".write(to: peer.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        do {
            _ = try SigningIdentity.load(from: peer)
            Issue.record("a garbage key loaded")
        } catch {
            #expect(error.description.contains("key.pem"))
        }
    }

    private func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
