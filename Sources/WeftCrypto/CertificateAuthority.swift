#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A certificate authority: a CA certificate and its private key, which issues leaf certificates.
public struct CertificateAuthority: Sendable {
    /// The CA's certificate (self-signed for the root CAs Weft creates).
    public let certificate: Certificate
    /// The CA's private key, which signs what it issues.
    public let signingKey: P256SigningKey

    /// Pairs a CA certificate with its key; throws unless the key matches the certificate and the
    /// certificate is a CA (basicConstraints CA:TRUE).
    public init(certificate: Certificate, signingKey: P256SigningKey) throws(CryptoError) {
        guard certificate.publicKey == signingKey.publicKey else {
            throw .malformed("CA key does not match the public key of \(certificate)")
        }
        guard certificate.isCertificateAuthority else {
            throw .unsupported("\(certificate) is not a CA certificate (basicConstraints CA:TRUE missing)")
        }
        self.certificate = certificate
        self.signingKey = signingKey
    }

    /// Creates a self-signed root CA: subject O/CN (as given), basicConstraints `CA:TRUE` (critical),
    /// keyUsage `keyCertSign, cRLSign, digitalSignature` (critical), a subject key identifier.
    ///
    /// - Parameters:
    ///   - subject: usually `O=<organization>, CN=ca.<domain>`.
    ///   - signingKey: the CA's key; a fresh one when omitted.
    ///   - serialNumber: nil picks 16 random bytes.
    ///   - notBefore: defaults to an hour ago (clock skew).
    ///   - notAfter: defaults to ten years after `notBefore`.
    public static func selfSigned(
        subject: DistinguishedName,
        signingKey: P256SigningKey? = nil,
        serialNumber: [UInt8]? = nil,
        notBefore: Date = Date().addingTimeInterval(-3600),
        notAfter: Date? = nil
    ) throws(CryptoError) -> CertificateAuthority {
        let key: P256SigningKey
        if let signingKey { key = signingKey } else { key = try P256SigningKey() }
        let fields = X509Builder.Fields(
            subject: subject,
            publicKey: key.publicKey,
            subjectAlternativeNames: [],
            serialNumber: serialNumber,
            notBefore: notBefore,
            notAfter: notAfter ?? notBefore.addingTimeInterval(10 * 365 * 24 * 3600),
            extensions: X509Builder.authorityExtensions
        )
        let certificate = try X509Builder.build(fields, issuer: nil, signingKey: key)
        return try CertificateAuthority(certificate: certificate, signingKey: key)
    }

    /// Issues a leaf certificate: the template's subject, key, SANs, serial and validity, with
    /// basicConstraints `CA:FALSE`, keyUsage `digitalSignature`, extendedKeyUsage `serverAuth,
    /// clientAuth`, and subject/authority key identifiers, signed by this CA with ECDSA-SHA256.
    public func issue(_ template: CertificateTemplate) throws(CryptoError) -> Certificate {
        try issue(template, highS: false)
    }

    /// Issues as `issue(_:)` does; `highS` makes the signature's S high (tests of its refusal only).
    func issue(_ template: CertificateTemplate, highS: Bool) throws(CryptoError) -> Certificate {
        let fields = X509Builder.Fields(
            subject: template.subject,
            publicKey: template.publicKey,
            subjectAlternativeNames: template.subjectAlternativeNames,
            serialNumber: template.serialNumber,
            notBefore: template.notBefore,
            notAfter: template.notAfter,
            extensions: X509Builder.leafExtensions
        )
        return try X509Builder.build(fields, issuer: certificate, signingKey: signingKey, highS: highS)
    }

    /// A trust store holding this CA's certificate, for verifying what it issued.
    public func trustStore() throws(CryptoError) -> CertificateTrustStore {
        try CertificateTrustStore(roots: [certificate])
    }
}
