import Foundation
import Identity
import WeftCore
import WeftCrypto

/// In-memory organizations and identities for the Identity tests.
struct TestOrganization {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let day: TimeInterval = 24 * 3600
    /// A time when every fixture certificate is valid.
    static let now = start + 10 * day

    let name: String
    let authority: CertificateAuthority

    init(_ name: String) throws {
        self.name = name
        authority = try CertificateAuthority.selfSigned(
            subject: DistinguishedName(organization: name, commonName: "ca.\(name.lowercased())"),
            notBefore: Self.start, notAfter: Self.start + 3650 * Self.day)
    }

    var mspID: String { name + "MSP" }

    func organization(admins: [Certificate] = [], revoked: [String] = []) -> Organization {
        Organization(name: name, mspID: mspID, caCertificates: [authority.certificate],
                     adminCertificates: admins, revokedSerialNumbers: revoked)
    }

    /// A certificate with the given OUs (roles) issued by this organization's CA.
    func certificate(
        _ commonName: String, units: [String], notBefore: Date = start, notAfter: Date = start + 365 * day
    ) throws -> Certificate {
        try authority.issue(CertificateTemplate(
            subject: DistinguishedName(organization: name, organizationalUnits: units, commonName: commonName),
            publicKey: P256SigningKey().publicKey, notBefore: notBefore, notAfter: notAfter))
    }

    /// The serialized identity of `certificate` in this organization.
    func serialized(_ certificate: Certificate) -> SerializedIdentity {
        SerializedIdentity(mspID: mspID, certificate: certificate.derRepresentation)
    }
}

/// Several organizations validated together, handing out validated identities for policy tests.
struct TestNetwork {
    let organizations: [TestOrganization]
    let membership: Membership

    init(_ names: [String]) throws {
        organizations = try names.map(TestOrganization.init)
        membership = try Membership(organizations: organizations.map { $0.organization() })
    }

    /// A validated identity of `organization` with `role`.
    func identity(_ organization: String, _ role: Role, _ commonName: String? = nil) throws -> ValidatedIdentity {
        guard let member = organizations.first(where: { $0.name == organization }) else {
            throw TestFailure("no organization \(organization)")
        }
        let certificate = try member.certificate(commonName ?? "\(role).\(organization.lowercased())", units: [role.rawValue])
        return try membership.validate(member.serialized(certificate), at: TestOrganization.now).get()
    }
}

/// A failure of the test setup itself.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
