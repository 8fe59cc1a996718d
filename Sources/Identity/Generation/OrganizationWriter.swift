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
        try put(IdentityIssuer.json(["name": organization.name, "mspID": organization.mspID], "msp/msp.json"), "msp/msp.json")

        let issuer = IdentityIssuer(
            organization: organization.name, mspID: organization.mspID, root: root.appendingPathComponent(relativePath),
            relativePath: relativePath, signing: authorities.signing, tls: authorities.tls, notBefore: notBefore, notAfter: notAfter)
        var identities: [GeneratedIdentity] = []
        let nodeRole = organization.nodeRole
        for index in 0..<organization.nodes {
            let host = organization.nodeHost(index)
            identities.append(try issuer.issue(host, role: nodeRole, folder: "\(nodeRole.rawValue)s/\(host)", hosts: organization.nodeHosts(index)))
        }
        let adminName = "Admin@\(organization.domain)"
        let admin = try issuer.issue(adminName, role: .admin, folder: "users/\(adminName)", hosts: [])
        identities.append(admin)
        try put(MaterialFiles.read(root.appendingPathComponent(admin.certificatePath)), "msp/admincerts/\(adminName).pem")
        for index in 0..<organization.users {
            let name = "User\(index + 1)@\(organization.domain)"
            identities.append(try issuer.issue(name, role: .client, folder: "users/\(name)", hosts: []))
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

    private func put(_ text: String, _ relative: String, mode: mode_t = MaterialFiles.publicMode) throws(IdentityError) {
        try MaterialFiles.write(text, to: root.appendingPathComponent(relativePath).appendingPathComponent(relative), mode: mode)
    }

    private func pem(_ key: P256SigningKey) throws(IdentityError) -> String { try IdentityIssuer.pem(key) }
}
