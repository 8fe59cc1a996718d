#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a CA puts into a leaf certificate it issues: subject, key, names, serial and validity.
public struct CertificateTemplate: Sendable {
    /// Subject: O (organization), OU (role: client, peer, orderer, admin), CN (the name).
    public var subject: DistinguishedName
    /// The subject's public key.
    public var publicKey: P256VerifyingKey
    /// DNS names and IP addresses the subject answers on (nodes: host name, `localhost`, `127.0.0.1`).
    public var subjectAlternativeNames: [SubjectAlternativeName]
    /// Serial number, big-endian (1–20 bytes); nil picks 16 random bytes.
    public var serialNumber: [UInt8]?
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date

    /// A template; `notBefore` defaults to now minus one hour (clock skew), `notAfter` to a year later.
    public init(
        subject: DistinguishedName,
        publicKey: P256VerifyingKey,
        subjectAlternativeNames: [SubjectAlternativeName] = [],
        serialNumber: [UInt8]? = nil,
        notBefore: Date = Date().addingTimeInterval(-3600),
        notAfter: Date? = nil
    ) {
        self.subject = subject
        self.publicKey = publicKey
        self.subjectAlternativeNames = subjectAlternativeNames
        self.serialNumber = serialNumber
        self.notBefore = notBefore
        self.notAfter = notAfter ?? notBefore.addingTimeInterval(365 * 24 * 3600)
    }
}
