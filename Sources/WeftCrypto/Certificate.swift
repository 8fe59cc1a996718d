import COpenSSL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore

/// A parsed X.509 certificate with a P-256 public key.
///
/// Fields are read once when the certificate is parsed. Two certificates are equal when their DER
/// bytes are equal. Building certificates: `CertificateAuthority`; verifying them: `CertificateTrustStore`.
public struct Certificate: Sendable, Hashable, CustomStringConvertible {
    let object: X509Object

    /// The DER encoding, exactly as parsed or issued.
    public let derRepresentation: [UInt8]
    /// Subject: organization, organizational units (roles), common name.
    public let subject: DistinguishedName
    /// Issuer: the subject of the CA that signed this certificate.
    public let issuer: DistinguishedName
    /// The serial number's big-endian magnitude (no leading zeros, at least one byte).
    public let serialNumber: [UInt8]
    /// Start of the validity period.
    public let notBefore: Date
    /// End of the validity period.
    public let notAfter: Date
    /// The subject's public key.
    public let publicKey: P256VerifyingKey
    /// DNS names and IP addresses from the subjectAltName extension, in certificate order.
    public let subjectAlternativeNames: [SubjectAlternativeName]
    /// Whether basicConstraints says `CA:TRUE`.
    public let isCertificateAuthority: Bool
    /// Whether the issuer's ECDSA signature over this certificate is strict DER with a low S
    /// (`s ≤ n/2`). Its high-S twin (`n − s`) verifies too but is other bytes: a second certificate
    /// for the same key and subject. Membership accepts only the low-S form.
    public let hasLowSSignature: Bool

    /// Parses a DER certificate; throws `.malformed` for bytes that are not one whole certificate and
    /// `.unsupported` for keys other than P-256.
    public init(derRepresentation der: some ContiguousBytes) throws(CryptoError) {
        let pointer = try OpenSSLBytes.decodeDER(der, what: "X.509 certificate") { cursor, length in
            d2i_X509(nil, cursor, length)
        }
        try self.init(object: X509Object(taking: pointer))
    }

    /// Parses the first `CERTIFICATE` block of a PEM text.
    public init(pemRepresentation pem: String) throws(CryptoError) {
        try self.init(derRepresentation: PEM.decode(pem, label: PEM.certificateLabel))
    }

    /// Every `CERTIFICATE` block of a PEM text (a bundle or chain), in order.
    public static func all(inPEM pem: String) throws(CryptoError) -> [Certificate] {
        var certificates: [Certificate] = []
        for block in try PEM.blocks(in: pem) where block.label == PEM.certificateLabel {
            certificates.append(try Certificate(derRepresentation: block.der))
        }
        guard !certificates.isEmpty else { throw .malformed("PEM: no 'CERTIFICATE' block") }
        return certificates
    }

    /// Reads every field of an `X509` this value now owns.
    init(object: X509Object) throws(CryptoError) {
        let x509 = object.pointer
        self.object = object
        derRepresentation = try OpenSSLBytes.encodeDER("i2d_X509") { i2d_X509(x509, $0) }
        guard let subjectName = X509_get_subject_name(x509), let issuerName = X509_get_issuer_name(x509) else {
            throw .malformed("X.509 certificate: missing subject or issuer name")
        }
        subject = try DistinguishedName(x509Name: subjectName)
        issuer = try DistinguishedName(x509Name: issuerName)
        serialNumber = try Self.serialNumber(of: x509)
        notBefore = try Self.date(X509_get0_notBefore(x509), field: "notBefore")
        notAfter = try Self.date(X509_get0_notAfter(x509), field: "notAfter")
        guard let key = X509_get0_pubkey(x509) else {
            throw .malformed("X.509 certificate: unreadable public key: \(OpenSSLErrorQueue.drain())")
        }
        publicKey = try P256VerifyingKey(key: EVPKey(sharing: key))
        subjectAlternativeNames = Self.alternativeNames(of: x509)
        isCertificateAuthority = X509_get_extension_flags(x509) & UInt32(EXFLAG_CA) != 0
        hasLowSSignature = Self.signatureIsLowS(x509)
        OpenSSLErrorQueue.clear()
    }

    /// The serial number in lower-case hex.
    public var serialNumberHex: String { Hex.encode(serialNumber) }

    /// The certificate as a PEM `CERTIFICATE` block.
    public var pemRepresentation: String { PEM.encode(derRepresentation, label: PEM.certificateLabel) }

    /// Whether `date` lies within `notBefore...notAfter`.
    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }

    /// `Certificate(O=Org1, OU=peer, CN=peer0.org1, serial 3f…)`.
    public var description: String { "Certificate(\(subject), serial \(serialNumberHex))" }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool {
        lhs.derRepresentation == rhs.derRepresentation
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(derRepresentation) }

    // MARK: - Field readers

    private static func serialNumber(of x509: OpaquePointer) throws(CryptoError) -> [UInt8] {
        guard let serial = X509_get0_serialNumber(x509), let number = ASN1_INTEGER_to_BN(serial, nil) else {
            throw .malformed("X.509 certificate: unreadable serial number: \(OpenSSLErrorQueue.drain())")
        }
        defer { BN_free(number) }
        let width = max(1, (BN_num_bits(number) + 7) / 8)
        guard let bytes = OpenSSLBytes.paddedBytes(of: number, width: width) else {
            throw .fromQueue("BN_bn2binpad(serial)")
        }
        return bytes
    }

    static func date(_ time: UnsafePointer<ASN1_TIME>?, field: String) throws(CryptoError) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else {
            throw .malformed("X.509 certificate: unreadable \(field) time")
        }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    private static func alternativeNames(of x509: OpaquePointer) -> [SubjectAlternativeName] {
        guard let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var out: [SubjectAlternativeName] = []
        for index in 0..<OPENSSL_sk_num(names) {
            guard let element = OPENSSL_sk_value(names, index) else { continue }
            let general = element.assumingMemoryBound(to: GENERAL_NAME.self)
            if let name = SubjectAlternativeName(generalName: general) { out.append(name) }
        }
        return out
    }
}
