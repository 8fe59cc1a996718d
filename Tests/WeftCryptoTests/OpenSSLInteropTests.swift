import Foundation
import Testing
import WeftCore
import WeftTestSupport
@testable import WeftCrypto

/// Interoperability with the `openssl` command, both ways: keys, signatures and certificates made by
/// one side are read and verified by the other.
@Suite struct OpenSSLInteropTests {
    let now = Date()
    let day: TimeInterval = 24 * 3600

    @Test func weftCertificatesPassOpenSSLVerify() throws {
        let directory = try TemporaryDirectory("interop-weft")
        defer { directory.remove() }
        let ca = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Org1", commonName: "ca.org1"))
        let key = try P256SigningKey()
        let leaf = try ca.issue(CertificateTemplate(
            subject: DistinguishedName(organization: "Org1", organizationalUnits: ["peer"], commonName: "peer0.org1"),
            publicKey: key.publicKey,
            subjectAlternativeNames: [.dnsName("peer0.org1"), .dnsName("localhost"), .ipAddress("127.0.0.1")]))
        try directory.write(ca.certificate.pemRepresentation, to: "ca.pem")
        try directory.write(leaf.pemRepresentation, to: "leaf.pem")
        let verified = try OpenSSLCommand.run(["verify", "-CAfile", "ca.pem", "leaf.pem"], in: directory.url)
        #expect(verified.succeeded, "\(verified.output)")
        #expect(verified.output.contains("leaf.pem: OK"))

        let text = try OpenSSLCommand.run(["x509", "-in", "leaf.pem", "-noout", "-text"], in: directory.url).output
        #expect(text.contains("O = Org1, OU = peer, CN = peer0.org1"))
        #expect(text.contains("DNS:peer0.org1, DNS:localhost, IP Address:127.0.0.1"))
        #expect(text.contains("CA:FALSE"))
        let caText = try OpenSSLCommand.run(["x509", "-in", "ca.pem", "-noout", "-text"], in: directory.url).output
        #expect(caText.contains("CA:TRUE"))
        #expect(caText.contains("Certificate Sign"))

        // Rejections, as openssl sees them: another CA, expired, tampered.
        let other = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Org2", commonName: "ca.org2"))
        try directory.write(other.certificate.pemRepresentation, to: "other.pem")
        #expect(!(try OpenSSLCommand.run(["verify", "-CAfile", "other.pem", "leaf.pem"], in: directory.url).succeeded))
        let later = String(Int(leaf.notAfter.timeIntervalSince1970) + 3600)
        let expired = try OpenSSLCommand.run(["verify", "-attime", later, "-CAfile", "ca.pem", "leaf.pem"], in: directory.url)
        #expect(!expired.succeeded)
        #expect(expired.output.contains("certificate has expired"))
        let tampered = CertificateTests.flipSignatureByte(of: leaf.derRepresentation)
        try directory.write(PEM.encode(tampered, label: PEM.certificateLabel), to: "tampered.pem")
        #expect(!(try OpenSSLCommand.run(["verify", "-CAfile", "ca.pem", "tampered.pem"], in: directory.url).succeeded))
    }

    @Test func openSSLCertificatesAreParsedAndVerifiedByWeft() throws {
        let directory = try TemporaryDirectory("interop-openssl")
        defer { directory.remove() }
        func openssl(_ arguments: [String]) throws {
            let outcome = try OpenSSLCommand.run(arguments, in: directory.url)
            #expect(outcome.succeeded, "openssl \(arguments.joined(separator: " ")): \(outcome.output)")
        }
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/O=Ext/CN=ca.ext"])
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/O=Ext/OU=client/CN=user1.ext"])
        try directory.write("subjectAltName=DNS:user1.ext,IP:10.0.0.7\nbasicConstraints=CA:FALSE\n", to: "leaf.ext")
        try openssl(["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0x1234",
                     "-days", "10", "-sha256", "-extfile", "leaf.ext", "-out", "leaf.pem"])
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "other.key", "-out", "other.pem", "-days", "30", "-subj", "/O=Other/CN=ca.other"])

        let ca = try Certificate(pemRepresentation: directory.read("ca.pem"))
        let leaf = try Certificate(pemRepresentation: directory.read("leaf.pem"))
        let other = try Certificate(pemRepresentation: directory.read("other.pem"))
        #expect(ca.isCertificateAuthority)
        #expect(ca.subject == DistinguishedName(organization: "Ext", commonName: "ca.ext"))
        #expect(leaf.subject == DistinguishedName(organization: "Ext", organizationalUnits: ["client"], commonName: "user1.ext"))
        #expect(leaf.issuer == ca.subject)
        #expect(leaf.serialNumber == [0x12, 0x34])
        #expect(leaf.subjectAlternativeNames == [.dnsName("user1.ext"), .ipAddress("10.0.0.7")])
        #expect(abs(leaf.notAfter.timeIntervalSince(leaf.notBefore) - 10 * day) < 2)

        // The certificates were made just now by openssl, possibly after `now` was taken on a busy machine:
        // check them at a moment inside their validity.
        let now = leaf.notBefore.addingTimeInterval(60)
        let store = try CertificateTrustStore(roots: [ca])
        #expect(store.failure(verifying: leaf, at: now) == nil)
        #expect(store.failure(verifying: leaf, at: leaf.notAfter + day)?.reason == .expired)
        #expect(store.failure(verifying: leaf, at: leaf.notBefore - day)?.reason == .notYetValid)
        #expect(try CertificateTrustStore(roots: [other]).failure(verifying: leaf, at: now)?.reason == .untrustedIssuer)
        let tampered = try Certificate(derRepresentation: CertificateTests.flipSignatureByte(of: leaf.derRepresentation))
        #expect(store.failure(verifying: tampered, at: now)?.reason == .signatureFailure)

        // The key openssl wrote (PKCS#8 PEM) is the key in its certificate, and signs for Weft.
        let leafKey = try P256SigningKey(pemRepresentation: directory.read("leaf.key"))
        #expect(leafKey.publicKey == leaf.publicKey)
    }

    @Test func signaturesCrossBothWays() throws {
        let directory = try TemporaryDirectory("interop-sig")
        defer { directory.remove() }
        let message = Array("interoperable message".utf8)
        try Data(message).write(to: directory.file("message.bin"))

        // Weft signs, openssl verifies.
        let weftKey = try P256SigningKey()
        try directory.write(weftKey.publicKey.pemRepresentation, to: "weft.pub")
        try directory.write(weftKey.pemRepresentation(), to: "weft.key")
        try Data(weftKey.signature(for: message)).write(to: directory.file("weft.sig"))
        let verified = try OpenSSLCommand.run(
            ["dgst", "-sha256", "-verify", "weft.pub", "-signature", "weft.sig", "message.bin"], in: directory.url)
        #expect(verified.output.contains("Verified OK"), "\(verified.output)")
        // openssl reads Weft's private key file.
        #expect(try OpenSSLCommand.run(["pkey", "-in", "weft.key", "-noout"], in: directory.url).succeeded)

        // openssl signs, Weft verifies (raw always; the ledger verify exactly when openssl chose low S).
        #expect(try OpenSSLCommand.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                                        "-out", "ossl.key"], in: directory.url).succeeded)
        #expect(try OpenSSLCommand.run(["pkey", "-in", "ossl.key", "-pubout", "-out", "ossl.pub"], in: directory.url).succeeded)
        let publicKey = try P256VerifyingKey(pemRepresentation: directory.read("ossl.pub"))
        #expect(try P256SigningKey(pemRepresentation: directory.read("ossl.key")).publicKey == publicKey)
        for index in 0..<6 {
            let signed = try OpenSSLCommand.run(
                ["dgst", "-sha256", "-sign", "ossl.key", "-out", "ossl\(index).sig", "message.bin"], in: directory.url)
            #expect(signed.succeeded, "\(signed.output)")
            let signature = Array(try Data(contentsOf: directory.file("ossl\(index).sig")))
            #expect(publicKey.isValidSignatureRaw(signature, for: message))
            let lowS = try #require(ECDSASignature(strictDER: signature)).isLowS
            #expect(publicKey.isValidSignature(signature, for: message) == lowS)
        }
    }
}
