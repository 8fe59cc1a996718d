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

/// Writes one organization: CA, TLS CA, MSP folder, nodes, administrator, users.
struct OrganizationWriter {
    let organization: CryptoSpecification.ResolvedOrganization
    let root: URL
    let notBefore: Date
    let notAfter: Date

    /// Path of the organization's folder relative to the output folder.
    var relativePath: String {
        (organization.isOrderer ? "ordererOrganizations/" : "peerOrganizations/") + organization.domain
    }

    /// The organization's two CAs: one for signing certificates, one for TLS certificates.
    private struct Authorities {
        let signing: CertificateAuthority
        let tls: CertificateAuthority
    }

    func write() throws(IdentityError) -> GeneratedOrganization {
        let caName = "ca.\(organization.domain)"
        let tlsCAName = "tlsca.\(organization.domain)"
        let authorities = Authorities(signing: try authority(caName), tls: try authority(tlsCAName))
        let caCertificate = authorities.signing.certificate.pemRepresentation
        try put(caCertificate, "ca/\(caName).pem")
        try put(pem(authorities.signing.signingKey), "ca/\(caName).key", mode: MaterialFiles.privateMode)
        try put(caCertificate, "msp/cacerts/\(caName).pem")
        let tlsCACertificate = authorities.tls.certificate.pemRepresentation
        try put(tlsCACertificate, "tlsca/\(tlsCAName).pem")
        try put(pem(authorities.tls.signingKey), "tlsca/\(tlsCAName).key", mode: MaterialFiles.privateMode)
        try put(tlsCACertificate, "msp/tlscacerts/\(tlsCAName).pem")
        try put(json(["name": organization.name, "mspID": organization.mspID], "msp/msp.json"), "msp/msp.json")

        var identities: [GeneratedIdentity] = []
        let nodeRole = organization.nodeRole
        for index in 0..<organization.nodes {
            let host = organization.nodeHost(index)
            identities.append(try issue(host, role: nodeRole, folder: "\(nodeRole.rawValue)s/\(host)",
                                        hosts: organization.nodeHosts(index), authorities: authorities))
        }
        let adminName = "Admin@\(organization.domain)"
        let admin = try issue(adminName, role: .admin, folder: "users/\(adminName)", hosts: [], authorities: authorities)
        identities.append(admin)
        try put(MaterialFiles.read(root.appendingPathComponent(admin.certificatePath)), "msp/admincerts/\(adminName).pem")
        for index in 0..<organization.users {
            let name = "User\(index + 1)@\(organization.domain)"
            identities.append(try issue(name, role: .client, folder: "users/\(name)", hosts: [], authorities: authorities))
        }
        return GeneratedOrganization(
            name: organization.name, mspID: organization.mspID, domain: organization.domain,
            kind: organization.isOrderer ? "orderer" : "peer", path: relativePath, mspPath: relativePath + "/msp",
            caCertificatePath: relativePath + "/ca/\(caName).pem", caPrivateKeyPath: relativePath + "/ca/\(caName).key",
            tlsCACertificatePath: relativePath + "/tlsca/\(tlsCAName).pem",
            tlsCAPrivateKeyPath: relativePath + "/tlsca/\(tlsCAName).key",
            identities: identities)
    }

    /// A self-signed CA `O=<organization>, CN=<commonName>`.
    private func authority(_ commonName: String) throws(IdentityError) -> CertificateAuthority {
        do {
            return try CertificateAuthority.selfSigned(
                subject: DistinguishedName(organization: organization.name, commonName: commonName),
                notBefore: notBefore, notAfter: notAfter)
        } catch { throw .crypto(error) }
    }

    /// Writes an identity's folder: signing key and certificate from the CA, and in `tls/` a separate
    /// TLS key and certificate from the TLS CA, each with its CA's certificate as `ca.pem`.
    private func issue(
        _ name: String, role: Role, folder: String, hosts: [String], authorities: Authorities
    ) throws(IdentityError) -> GeneratedIdentity {
        let subject = DistinguishedName(organization: organization.name, organizationalUnits: [role.rawValue], commonName: name)
        let names = hosts.map(SubjectAlternativeName.init(host:))
        for (authority, subfolder) in [(authorities.signing, folder), (authorities.tls, folder + "/tls")] {
            let key: P256SigningKey
            let certificate: Certificate
            do {
                key = try P256SigningKey()
                certificate = try authority.issue(CertificateTemplate(
                    subject: subject, publicKey: key.publicKey, subjectAlternativeNames: names,
                    notBefore: notBefore, notAfter: notAfter))
            } catch { throw .crypto(error) }
            try put(certificate.pemRepresentation, "\(subfolder)/cert.pem")
            try put(pem(key), "\(subfolder)/key.pem", mode: MaterialFiles.privateMode)
            try put(authority.certificate.pemRepresentation, "\(subfolder)/ca.pem")
        }
        try put(json(["mspID": organization.mspID, "name": name, "role": role.rawValue], "\(folder)/identity.json"),
                "\(folder)/identity.json")
        let path = "\(relativePath)/\(folder)"
        return GeneratedIdentity(name: name, role: role, path: path, certificatePath: path + "/cert.pem",
                                 privateKeyPath: path + "/key.pem", tlsCertificatePath: path + "/tls/cert.pem",
                                 tlsPrivateKeyPath: path + "/tls/key.pem", hosts: hosts)
    }

    private func put(_ text: String, _ relative: String, mode: mode_t = MaterialFiles.publicMode) throws(IdentityError) {
        try MaterialFiles.write(text, to: root.appendingPathComponent(relativePath).appendingPathComponent(relative), mode: mode)
    }

    private func pem(_ key: P256SigningKey) throws(IdentityError) -> String {
        do { return try key.pemRepresentation() } catch { throw .crypto(error) }
    }

    /// A small JSON object with sorted keys and a trailing newline.
    private func json(_ fields: [String: String], _ relative: String) throws(IdentityError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            return String(decoding: try encoder.encode(fields), as: UTF8.self) + "\n"
        } catch {
            throw .fileSystem(path: relative, reason: "cannot encode: \(error)")
        }
    }
}
