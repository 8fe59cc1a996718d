#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeftCrypto

/// Issues identities of one organization from its two CAs and writes each one's folder — what
/// `OrganizationWriter` does for a whole new organization, and `CryptoMaterialIssuance` for one node
/// added to an existing organization.
struct IdentityIssuer {
    /// The organization's policy name (the certificates' `O`).
    let organization: String
    let mspID: String
    /// The organization's folder.
    let root: URL
    /// The same, relative to the material's folder (the paths `GeneratedIdentity` records).
    let relativePath: String
    let signing: CertificateAuthority
    let tls: CertificateAuthority
    let notBefore: Date
    let notAfter: Date

    /// Writes an identity's folder: signing key and certificate from the CA, and in `tls/` a separate
    /// TLS key and certificate from the TLS CA, each with its CA's certificate as `ca.pem`.
    func issue(_ name: String, role: Role, folder: String, hosts: [String]) throws(IdentityError) -> GeneratedIdentity {
        let subject = DistinguishedName(organization: organization, organizationalUnits: [role.rawValue], commonName: name)
        let names = hosts.map(SubjectAlternativeName.init(host:))
        for (authority, subfolder) in [(signing, folder), (tls, folder + "/tls")] {
            let key: P256SigningKey
            let certificate: Certificate
            do {
                key = try P256SigningKey()
                certificate = try authority.issue(CertificateTemplate(
                    subject: subject, publicKey: key.publicKey, subjectAlternativeNames: names,
                    notBefore: notBefore, notAfter: notAfter))
            } catch { throw .crypto(error) }
            try put(certificate.pemRepresentation, "\(subfolder)/cert.pem")
            try put(Self.pem(key), "\(subfolder)/key.pem", mode: MaterialFiles.privateMode)
            try put(authority.certificate.pemRepresentation, "\(subfolder)/ca.pem")
        }
        try put(Self.json(["mspID": mspID, "name": name, "role": role.rawValue], "\(folder)/identity.json"), "\(folder)/identity.json")
        let path = "\(relativePath)/\(folder)"
        return GeneratedIdentity(name: name, role: role, path: path, certificatePath: path + "/cert.pem",
                                 privateKeyPath: path + "/key.pem", tlsCertificatePath: path + "/tls/cert.pem",
                                 tlsPrivateKeyPath: path + "/tls/key.pem", hosts: hosts)
    }

    private func put(_ text: String, _ relative: String, mode: mode_t = MaterialFiles.publicMode) throws(IdentityError) {
        try MaterialFiles.write(text, to: root.appendingPathComponent(relative), mode: mode)
    }

    static func pem(_ key: P256SigningKey) throws(IdentityError) -> String {
        do { return try key.pemRepresentation() } catch { throw .crypto(error) }
    }

    /// A small JSON object with sorted keys and a trailing newline.
    static func json(_ fields: [String: String], _ relative: String) throws(IdentityError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            return String(decoding: try encoder.encode(fields), as: UTF8.self) + "\n"
        } catch {
            throw .fileSystem(path: relative, reason: "cannot encode: \(error)")
        }
    }
}
