import Foundation
import Testing
import WeftCore
import WeftCrypto
import WeftTestSupport
@testable import Identity

/// The TLS half of `weft crypto generate`: a TLS CA per organization, and a separate TLS key and
/// certificate for every identity that chains to the TLS CA and not to the signing CA.
@Suite struct TLSMaterialGenerationTests {
    /// One generation shared by the read-only checks below.
    private static func generate(
        _ specification: CryptoSpecification = .standard(organizations: 2, peers: 2, orderers: 2, users: 1),
        now: Date = Date()
    ) throws -> (TemporaryDirectory, CryptoMaterial) {
        let directory = try TemporaryDirectory("cryptogen-tls")
        return (directory, try CryptoMaterialGenerator.generate(specification, into: directory.url, now: now))
    }

    @Test func layoutPathsAndModes() throws {
        let (directory, material) = try Self.generate()
        defer { directory.remove() }
        for organization in material.organizations {
            let domain = organization.domain
            #expect(organization.tlsCACertificatePath == "\(organization.path)/tlsca/tlsca.\(domain).pem")
            #expect(organization.tlsCAPrivateKeyPath == "\(organization.path)/tlsca/tlsca.\(domain).key")
            #expect(try mode(directory.file(organization.tlsCAPrivateKeyPath)) == 0o600)
            #expect(try mode(directory.file(organization.tlsCACertificatePath)) == 0o644)
            let tlsCA = try directory.read(organization.tlsCACertificatePath)
            #expect(try directory.read("\(organization.mspPath)/tlscacerts/tlsca.\(domain).pem") == tlsCA)
            let authority = try Certificate(pemRepresentation: tlsCA)
            #expect(authority.subject == DistinguishedName(organization: organization.name, commonName: "tlsca.\(domain)"))
            #expect(authority.issuer == authority.subject)
            #expect(authority.isCertificateAuthority)
            _ = try CertificateAuthority(
                certificate: authority,
                signingKey: P256SigningKey(pemRepresentation: directory.read(organization.tlsCAPrivateKeyPath)))

            for identity in organization.identities {
                #expect(identity.tlsCertificatePath == identity.path + "/tls/cert.pem")
                #expect(identity.tlsPrivateKeyPath == identity.path + "/tls/key.pem")
                #expect(try mode(directory.file(identity.tlsPrivateKeyPath)) == 0o600, "\(identity.tlsPrivateKeyPath)")
                #expect(try mode(directory.file(identity.tlsCertificatePath)) == 0o644)
                #expect(try directory.read(identity.path + "/tls/ca.pem") == tlsCA)
                let certificate = try Certificate(pemRepresentation: directory.read(identity.tlsCertificatePath))
                #expect(certificate.subject == DistinguishedName(
                    organization: organization.name, organizationalUnits: [identity.role.rawValue], commonName: identity.name))
                #expect(certificate.issuer == authority.subject)
                #expect(!certificate.isCertificateAuthority)
                let key = try P256SigningKey(pemRepresentation: directory.read(identity.tlsPrivateKeyPath))
                #expect(key.publicKey == certificate.publicKey)
            }
        }
        let manifest = try JSONDecoder().decode(CryptoMaterial.self, from: Data(directory.read("crypto.json").utf8))
        #expect(manifest == material)
        #expect(try CryptoMaterial.load(from: directory.url) == material)
    }

    @Test func tlsCertificatesChainToTheTLSCAOnly() throws {
        let now = Date()
        let (directory, material) = try Self.generate(now: now)
        defer { directory.remove() }
        for organization in material.organizations {
            let tlsStore = try CertificateTrustStore(roots: [Certificate(pemRepresentation: directory.read(organization.tlsCACertificatePath))])
            let signingStore = try CertificateTrustStore(roots: [Certificate(pemRepresentation: directory.read(organization.caCertificatePath))])
            for identity in organization.identities {
                let tls = try Certificate(pemRepresentation: directory.read(identity.tlsCertificatePath))
                let signing = try Certificate(pemRepresentation: directory.read(identity.certificatePath))
                #expect(tlsStore.failure(verifying: tls, at: now) == nil, "\(identity.name)")
                #expect(signingStore.failure(verifying: tls, at: now) != nil, "\(identity.name) TLS passes the signing CA")
                #expect(tlsStore.failure(verifying: signing, at: now) != nil, "\(identity.name) signing passes the TLS CA")
            }
            // No other organization's TLS CA accepts them either.
            let other = try #require(material.organizations.first { $0.mspID != organization.mspID })
            let otherStore = try CertificateTrustStore(roots: [Certificate(pemRepresentation: directory.read(other.tlsCACertificatePath))])
            let first = try Certificate(pemRepresentation: directory.read(organization.identities[0].tlsCertificatePath))
            #expect(otherStore.failure(verifying: first, at: now) != nil)
        }
    }

    @Test func opensslAcceptsThemForServerAndClientAuthentication() throws {
        let (directory, material) = try Self.generate(.standard(organizations: 1, peers: 1, orderers: 1, users: 1))
        defer { directory.remove() }
        for organization in material.organizations {
            for identity in organization.identities {
                for purpose in ["sslserver", "sslclient"] {
                    let outcome = try OpenSSLCommand.run(
                        ["verify", "-purpose", purpose, "-CAfile", organization.tlsCACertificatePath, identity.tlsCertificatePath],
                        in: directory.url)
                    #expect(outcome.succeeded && outcome.output.contains(": OK"), "\(identity.name) \(purpose): \(outcome.output)")
                }
            }
        }
    }

    @Test func nodesNameTheirHostsAndThePatterns() throws {
        var specification = CryptoSpecification(
            peerOrganizations: [.init(name: "Org1", peers: 2, users: 1, hosts: ["org1-peer-{index}.org1-peer.weft.svc.cluster.local"])],
            ordererOrganization: .init(orderers: 1, hosts: ["orderer-{index}.orderer.weft.svc.cluster.local"]))
        specification.hosts = ["{node}.lan", "localhost", "10.1.0.{index}"]
        let (directory, material) = try Self.generate(specification)
        defer { directory.remove() }
        let org1 = try #require(material.organization("Org1"))
        #expect(org1.identities[1].hosts == [
            "peer1.org1", "localhost", "127.0.0.1", "org1-peer-1.org1-peer.weft.svc.cluster.local", "peer1.org1.lan", "10.1.0.1",
        ])
        let tls = try Certificate(pemRepresentation: directory.read(org1.identities[1].tlsCertificatePath))
        #expect(tls.subjectAlternativeNames == [
            .dnsName("peer1.org1"), .dnsName("localhost"), .ipAddress("127.0.0.1"),
            .dnsName("org1-peer-1.org1-peer.weft.svc.cluster.local"), .dnsName("peer1.org1.lan"), .ipAddress("10.1.0.1"),
        ])
        let signing = try Certificate(pemRepresentation: directory.read(org1.identities[1].certificatePath))
        #expect(signing.subjectAlternativeNames == tls.subjectAlternativeNames)
        let orderer = try #require(material.organization("Orderer"))
        #expect(orderer.identities[0].hosts == [
            "orderer0.orderer", "localhost", "127.0.0.1", "orderer-0.orderer.weft.svc.cluster.local", "orderer0.orderer.lan", "10.1.0.0",
        ])
        // Administrators and users get no names.
        for identity in org1.identities + orderer.identities where identity.role == .admin || identity.role == .client {
            #expect(identity.hosts.isEmpty)
            #expect(try Certificate(pemRepresentation: directory.read(identity.tlsCertificatePath)).subjectAlternativeNames.isEmpty)
        }
    }

    @Test func tlsKeysAreSeparateFromSigningKeys() throws {
        let (directory, material) = try Self.generate(.standard(organizations: 1, peers: 2, orderers: 1, users: 2))
        defer { directory.remove() }
        var keys: Set<P256VerifyingKey> = []
        for organization in material.organizations {
            for identity in organization.identities {
                let signing = try P256SigningKey(pemRepresentation: directory.read(identity.privateKeyPath)).publicKey
                let tls = try P256SigningKey(pemRepresentation: directory.read(identity.tlsPrivateKeyPath)).publicKey
                #expect(signing != tls, "\(identity.name)")
                keys.insert(signing)
                keys.insert(tls)
            }
        }
        #expect(keys.count == 2 * material.organizations.reduce(0) { $0 + $1.identities.count })
    }

    @Test func organizationLoadReadsTheTLSCA() throws {
        let (directory, material) = try Self.generate(.standard(organizations: 2, peers: 1, orderers: 1, users: 0))
        defer { directory.remove() }
        for generated in material.organizations {
            let organization = try Organization.load(mspDirectory: directory.file(generated.mspPath))
            let tlsCA = try Certificate(pemRepresentation: directory.read(generated.tlsCACertificatePath))
            #expect(organization.tlsCACertificates == [tlsCA])
            #expect(organization.caCertificates == [try Certificate(pemRepresentation: directory.read(generated.caCertificatePath))])
            #expect(!organization.caCertificates.contains(tlsCA))
        }
    }

    @Test func materialWithoutTLSIsRefusedWithAFix() throws {
        let (directory, material) = try Self.generate(.standard(organizations: 1, peers: 1, orderers: 1, users: 0))
        defer { directory.remove() }
        // crypto.json as weft wrote it before TLS material existed.
        func withoutTLS(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { !$0.key.hasPrefix("tls") }.mapValues(withoutTLS)
            }
            if let array = value as? [Any] { return array.map(withoutTLS) }
            return value
        }
        let old = withoutTLS(try JSONSerialization.jsonObject(with: Data(directory.read("crypto.json").utf8)))
        try JSONSerialization.data(withJSONObject: old).write(to: directory.file("crypto.json"))
        #expect(try !directory.read("crypto.json").contains("tlsCertificatePath"))
        do {
            _ = try CryptoMaterial.load(from: directory.url)
            Issue.record("material without TLS paths loaded")
        } catch {
            #expect(error.description.contains("without TLS material"))
            #expect(error.description.contains("weft crypto generate --force"))
        }
        #expect(material.organizations.count == 2)
    }

    private func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
