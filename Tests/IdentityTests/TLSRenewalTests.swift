import Foundation
import Testing
import WeftCore
import WeftCrypto
import WeftTestSupport
@testable import Identity

/// `weft crypto renew`'s engine: a new TLS certificate from the same TLS CA, the key kept unless asked,
/// files replaced atomically.
@Suite struct TLSRenewalTests {
    /// Material generated at `generated`, with host patterns, in a fresh folder.
    private static func material(generated: Date) throws -> (TemporaryDirectory, CryptoMaterial) {
        let directory = try TemporaryDirectory("crypto-renew")
        var specification = CryptoSpecification.standard(organizations: 1, peers: 1, orderers: 1, users: 1, validityDays: 400)
        specification.hosts = ["{node}.weft.svc.cluster.local"]
        return (directory, try CryptoMaterialGenerator.generate(specification, into: directory.url, now: generated))
    }

    private static let generated = Date(timeIntervalSince1970: 1_780_000_000)
    private static let renewed = generated.addingTimeInterval(200 * 24 * 3600)

    @Test func keepsTheKeyByDefault() throws {
        let (directory, material) = try Self.material(generated: Self.generated)
        defer { directory.remove() }
        let identity = try #require(material.identity(named: "orderer0.orderer")).identity
        let oldCertificate = try Certificate(pemRepresentation: directory.read(identity.tlsCertificatePath))
        let oldKey = try directory.read(identity.tlsPrivateKeyPath)

        let renewal = try CryptoMaterialRenewal.renewTLS(in: directory.url, identity: "orderer0.orderer", now: Self.renewed)
        let certificate = try Certificate(pemRepresentation: directory.read(identity.tlsCertificatePath))
        #expect(try directory.read(identity.tlsPrivateKeyPath) == oldKey)
        #expect(certificate.publicKey == oldCertificate.publicKey)
        #expect(certificate.serialNumber != oldCertificate.serialNumber)
        #expect(certificate.subject == oldCertificate.subject)
        #expect(certificate.subjectAlternativeNames == oldCertificate.subjectAlternativeNames)
        #expect(certificate.subjectAlternativeNames.contains(.dnsName("orderer0.orderer.weft.svc.cluster.local")))
        #expect(certificate.notBefore == Self.renewed.addingTimeInterval(-3600))
        #expect(certificate.notAfter.timeIntervalSince(certificate.notBefore) == 400 * 24 * 3600)   // as long as before

        let organization = try #require(material.organization("Orderer"))
        let tlsCA = try Certificate(pemRepresentation: directory.read(organization.tlsCACertificatePath))
        let signingCA = try Certificate(pemRepresentation: directory.read(organization.caCertificatePath))
        #expect(certificate.verificationFailure(issuedBy: tlsCA, at: Self.renewed) == nil)
        #expect(certificate.verificationFailure(issuedBy: signingCA, at: Self.renewed) != nil)

        #expect(renewal == RenewedTLSCertificate(
            directory: directory.url.path, identity: "orderer0.orderer", mspID: "OrdererMSP", role: .orderer,
            certificatePath: identity.tlsCertificatePath, privateKeyPath: identity.tlsPrivateKeyPath,
            serialNumber: certificate.serialNumberHex, previousSerialNumber: oldCertificate.serialNumberHex,
            notBefore: certificate.notBefore, notAfter: certificate.notAfter, keyReplaced: false))
        #expect(try mode(directory.file(identity.tlsPrivateKeyPath)) == 0o600)
        #expect(try mode(directory.file(identity.tlsCertificatePath)) == 0o644)
        #expect(try files(in: directory.file(identity.path + "/tls")) == ["ca.pem", "cert.pem", "key.pem"])
    }

    @Test func newKeyReplacesTheKey() throws {
        let (directory, material) = try Self.material(generated: Self.generated)
        defer { directory.remove() }
        let (organization, identity) = try #require(material.identity(named: "peer0.org1"))
        let oldCertificate = try Certificate(pemRepresentation: directory.read(identity.tlsCertificatePath))
        let signingKey = try directory.read(identity.privateKeyPath)

        let renewal = try CryptoMaterialRenewal.renewTLS(
            in: directory.url, identity: "peer0.org1", newKey: true, validityDays: 30, now: Self.renewed)
        #expect(renewal.keyReplaced)
        let certificate = try Certificate(pemRepresentation: directory.read(identity.tlsCertificatePath))
        let key = try P256SigningKey(pemRepresentation: directory.read(identity.tlsPrivateKeyPath))
        #expect(key.publicKey == certificate.publicKey)
        #expect(certificate.publicKey != oldCertificate.publicKey)
        #expect(certificate.notAfter.timeIntervalSince(certificate.notBefore) == 30 * 24 * 3600)
        #expect(try directory.read(identity.privateKeyPath) == signingKey)             // the signing key is not touched
        #expect(try mode(directory.file(identity.tlsPrivateKeyPath)) == 0o600)
        #expect(try files(in: directory.file(identity.path + "/tls")) == ["ca.pem", "cert.pem", "key.pem"])
        let tlsCA = try Certificate(pemRepresentation: directory.read(organization.tlsCACertificatePath))
        #expect(certificate.verificationFailure(issuedBy: tlsCA, at: Self.renewed) == nil)
        // The renewed pair works with openssl as server and client certificate.
        let outcome = try OpenSSLCommand.run(
            ["verify", "-purpose", "sslserver", "-attime", String(Int(Self.renewed.timeIntervalSince1970)),
             "-CAfile", organization.tlsCACertificatePath, identity.tlsCertificatePath], in: directory.url)
        #expect(outcome.succeeded, "\(outcome.output)")
    }

    @Test func acceptsANetworkFolder() throws {
        let network = try TemporaryDirectory("crypto-renew-network")
        defer { network.remove() }
        let material = try CryptoMaterialGenerator.generate(
            .standard(organizations: 1, peers: 1, orderers: 1, users: 1), into: network.file("crypto"))
        #expect(CryptoMaterial.materialDirectory(in: network.url)?.path == network.file("crypto").path)
        let user = try #require(material.identity(named: "User1@org1")).identity
        let before = try network.read("crypto/" + user.tlsCertificatePath)
        let renewal = try CryptoMaterialRenewal.renewTLS(in: network.url, identity: "User1@org1")
        #expect(renewal.directory == network.file("crypto").path)
        #expect(try network.read("crypto/" + user.tlsCertificatePath) != before)
        #expect(try Certificate(pemRepresentation: network.read("crypto/" + user.tlsCertificatePath)).subjectAlternativeNames.isEmpty)
    }

    @Test func refusesUnknownNamesAndFolders() throws {
        let (directory, material) = try Self.material(generated: Self.generated)
        defer { directory.remove() }
        #expect(throws: IdentityError.unknownIdentity(name: "peer7.org1", known: material.identityNames)) {
            try CryptoMaterialRenewal.renewTLS(in: directory.url, identity: "peer7.org1")
        }
        #expect(material.identityNames == ["orderer0.orderer", "Admin@orderer", "peer0.org1", "Admin@org1", "User1@org1"])
        #expect(IdentityError.unknownIdentity(name: "x", known: material.identityNames).description
            == "no identity 'x' in the crypto material; known: orderer0.orderer, Admin@orderer, peer0.org1, Admin@org1, User1@org1")
        #expect(throws: IdentityError.invalidSpecification("validityDays must be between 1 and 36500, not 0")) {
            try CryptoMaterialRenewal.renewTLS(in: directory.url, identity: "peer0.org1", validityDays: 0)
        }
        let empty = try TemporaryDirectory("crypto-renew-empty")
        defer { empty.remove() }
        do {
            _ = try CryptoMaterialRenewal.renewTLS(in: empty.url, identity: "peer0.org1")
            Issue.record("renewed without material")
        } catch {
            #expect(error.description.contains("no crypto.json here or in crypto/"))
        }
    }

    @Test func replaceIsAtomicAndCleansUp() throws {
        let directory = try TemporaryDirectory("crypto-replace")
        defer { directory.remove() }
        let target = directory.file("cert.pem")
        try MaterialFiles.write("old\n", to: target, mode: MaterialFiles.publicMode)
        try MaterialFiles.replace(target, with: "new\n", mode: MaterialFiles.privateMode)
        #expect(try directory.read("cert.pem") == "new\n")
        #expect(try mode(target) == 0o600)
        #expect(try files(in: directory.url) == ["cert.pem"])
        // A rename that fails (the target is a non-empty folder) leaves the target and no temporary file.
        let folder = directory.file("busy")
        try MaterialFiles.write("x", to: folder.appendingPathComponent("inside"), mode: MaterialFiles.publicMode)
        #expect(throws: IdentityError.self) { try MaterialFiles.replace(folder, with: "y", mode: MaterialFiles.publicMode) }
        #expect(try files(in: directory.url) == ["busy", "cert.pem"])
        #expect(try files(in: folder) == ["inside"])
    }

    private func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Every entry of a folder, hidden ones included, sorted.
    private func files(in url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}
