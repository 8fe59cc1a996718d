import Foundation
import Testing
import WeftCore
import WeftTestSupport
@testable import WeftCrypto

/// Creating, parsing and verifying X.509 certificates.
@Suite struct CertificateTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let day: TimeInterval = 24 * 3600

    static func makeCA(_ organization: String) throws -> CertificateAuthority {
        try CertificateAuthority.selfSigned(
            subject: DistinguishedName(organization: organization, commonName: "ca.\(organization.lowercased())"),
            notBefore: start, notAfter: start + 3650 * day)
    }

    static func issueLeaf(
        _ ca: CertificateAuthority, role: String = "peer", notBefore: Date = start, notAfter: Date = start + 365 * day
    ) throws -> (Certificate, P256SigningKey) {
        let key = try P256SigningKey()
        let organization = ca.certificate.subject.organization ?? ""
        let certificate = try ca.issue(CertificateTemplate(
            subject: DistinguishedName(organization: organization, organizationalUnits: [role],
                                       commonName: "peer0.\(organization.lowercased())"),
            publicKey: key.publicKey,
            subjectAlternativeNames: [.dnsName("peer0.\(organization.lowercased())"), .dnsName("localhost"),
                                      .ipAddress("127.0.0.1"), .ipAddress("::1")],
            serialNumber: [0x01, 0x02, 0x03],
            notBefore: notBefore, notAfter: notAfter))
        return (certificate, key)
    }

    @Test func authorityFields() throws {
        let ca = try Self.makeCA("Org1")
        let certificate = ca.certificate
        #expect(certificate.subject == DistinguishedName(organization: "Org1", commonName: "ca.org1"))
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.isCertificateAuthority)
        #expect(certificate.notBefore == Self.start)
        #expect(certificate.notAfter == Self.start + 3650 * Self.day)
        #expect(certificate.serialNumber.count == 16)
        #expect(certificate.publicKey == ca.signingKey.publicKey)
        #expect(certificate.subjectAlternativeNames.isEmpty)
        #expect(certificate.verificationFailure(issuedBy: certificate, at: Self.start + Self.day) == nil)
    }

    @Test func leafFieldsAndEncodingsRoundTrip() throws {
        let ca = try Self.makeCA("Org1")
        let (leaf, key) = try Self.issueLeaf(ca)
        #expect(leaf.subject.organization == "Org1")
        #expect(leaf.subject.organizationalUnits == ["peer"])
        #expect(leaf.subject.commonName == "peer0.org1")
        #expect(leaf.issuer == ca.certificate.subject)
        #expect(leaf.serialNumber == [0x01, 0x02, 0x03])
        #expect(leaf.serialNumberHex == "010203")
        #expect(leaf.notBefore == Self.start)
        #expect(leaf.notAfter == Self.start + 365 * Self.day)
        #expect(leaf.publicKey == key.publicKey)
        #expect(!leaf.isCertificateAuthority)
        #expect(leaf.subjectAlternativeNames == [.dnsName("peer0.org1"), .dnsName("localhost"),
                                                 .ipAddress("127.0.0.1"), .ipAddress("::1")])
        #expect(try Certificate(derRepresentation: leaf.derRepresentation) == leaf)
        #expect(try Certificate(pemRepresentation: leaf.pemRepresentation) == leaf)
        let bundle = leaf.pemRepresentation + ca.certificate.pemRepresentation
        #expect(try Certificate.all(inPEM: bundle) == [leaf, ca.certificate])
        #expect(leaf.isValid(at: Self.start + Self.day))
        #expect(!leaf.isValid(at: Self.start - 1))
    }

    @Test func leafVerifiesAgainstItsCA() throws {
        let ca = try Self.makeCA("Org1")
        let (leaf, _) = try Self.issueLeaf(ca)
        let store = try ca.trustStore()
        #expect(store.failure(verifying: leaf, at: Self.start + Self.day) == nil)
        try store.verify(leaf, at: Self.start + Self.day)
    }

    @Test func expiredAndNotYetValidAreReported() throws {
        let ca = try Self.makeCA("Org1")
        let (leaf, _) = try Self.issueLeaf(ca, notBefore: Self.start + 10 * Self.day, notAfter: Self.start + 20 * Self.day)
        let store = try ca.trustStore()
        let early = try #require(store.failure(verifying: leaf, at: Self.start + 5 * Self.day))
        #expect(early.reason == .notYetValid)
        #expect(early.depth == 0)
        #expect(early.message == "certificate is not yet valid")
        let late = try #require(store.failure(verifying: leaf, at: Self.start + 30 * Self.day))
        #expect(late.reason == .expired)
        #expect(late.description == "expired (depth 0): certificate has expired [X509_V_ERR 10]")
        #expect(throws: CryptoError.self) { try store.verify(leaf, at: Self.start + 30 * Self.day) }
        // The CA's own validity counts too.
        let afterCA = try #require(store.failure(verifying: leaf, at: Self.start + 4000 * Self.day))
        #expect(afterCA.reason == .expired)
    }

    @Test func leafOfAnotherCAIsRejected() throws {
        let org1 = try Self.makeCA("Org1")
        let org2 = try Self.makeCA("Org2")
        let (leaf, _) = try Self.issueLeaf(org2)
        let failure = try #require(try org1.trustStore().failure(verifying: leaf, at: Self.start + Self.day))
        #expect(failure.reason == .untrustedIssuer)
        // Same organization name, different CA key: the name matches, the key does not.
        let impostor = try Self.makeCA("Org1")
        let (forged, _) = try Self.issueLeaf(impostor)
        let forgedFailure = try #require(try org1.trustStore().failure(verifying: forged, at: Self.start + Self.day))
        #expect([.untrustedIssuer, .signatureFailure].contains(forgedFailure.reason))
    }

    @Test func tamperedSignatureIsRejected() throws {
        let ca = try Self.makeCA("Org1")
        let (leaf, _) = try Self.issueLeaf(ca)
        let tampered = try Certificate(derRepresentation: Self.flipSignatureByte(of: leaf.derRepresentation))
        let failure = try #require(try ca.trustStore().failure(verifying: tampered, at: Self.start + Self.day))
        #expect(failure.reason == .signatureFailure)
    }

    @Test func leafCannotActAsCA() throws {
        let ca = try Self.makeCA("Org1")
        let (leaf, leafKey) = try Self.issueLeaf(ca)
        #expect(throws: CryptoError.unsupported("\(leaf) is not a CA certificate (basicConstraints CA:TRUE missing)")) {
            _ = try CertificateAuthority(certificate: leaf, signingKey: leafKey)
        }
        #expect(throws: CryptoError.self) { _ = try CertificateAuthority(certificate: ca.certificate, signingKey: leafKey) }
    }

    @Test func badTemplatesThrow() throws {
        let ca = try Self.makeCA("Org1")
        let key = try P256SigningKey()
        func issue(_ change: (inout CertificateTemplate) -> Void) throws {
            var template = CertificateTemplate(subject: DistinguishedName(organization: "Org1", commonName: "x"),
                                               publicKey: key.publicKey, notBefore: Self.start)
            change(&template)
            _ = try ca.issue(template)
        }
        #expect(throws: CryptoError.self) { try issue { $0.notAfter = Self.start - 1 } }
        #expect(throws: CryptoError.self) { try issue { $0.serialNumber = [0, 0] } }
        #expect(throws: CryptoError.self) { try issue { $0.serialNumber = [UInt8](repeating: 1, count: 21) } }
        #expect(throws: CryptoError.self) { try issue { $0.subjectAlternativeNames = [.ipAddress("300.1.1.1")] } }
        #expect(throws: CryptoError.self) { try issue { $0.subjectAlternativeNames = [.dnsName("has space")] } }
        #expect(throws: CryptoError.self) { try issue { $0.subject.commonName = "" } }
        try issue { $0.subject.organizationalUnits = ["client", "admin"] }
    }

    @Test func malformedCertificateBytesThrowClearErrors() throws {
        let ca = try Self.makeCA("Org1")
        let der = ca.certificate.derRepresentation
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try Certificate(derRepresentation: bytes); return "no error" } catch { return "\(error)" }
        }
        #expect(message([]) == "malformed input: X.509 certificate: empty input")
        #expect(message(Array(der.dropLast(5))).hasPrefix("malformed input: X.509 certificate:"))
        #expect(message(der + [0, 0]) == "malformed input: X.509 certificate: 2 trailing bytes after the DER structure")
        #expect(message(Array("-----BEGIN CERTIFICATE-----".utf8)).hasPrefix("malformed input: X.509 certificate:"))
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            var mutated = der
            mutated[Int.random(in: 0..<mutated.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            _ = message(mutated)   // must throw or parse; never trap
        }
        #expect(throws: CryptoError.self) { _ = try Certificate(pemRepresentation: ca.signingKey.publicKey.pemRepresentation) }
        #expect(throws: CryptoError.self) { _ = try Certificate.all(inPEM: "no pem here") }
    }

    /// `der` with one bit flipped in the last byte, which lies inside the signature.
    static func flipSignatureByte(of der: [UInt8]) -> [UInt8] {
        var tampered = der
        tampered[tampered.count - 1] ^= 0x01
        return tampered
    }
}
