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

/// Generates the crypto material of a network, like Fabric's cryptogen: a CA per organization, and a
/// key and certificate for every node, administrator and user. Layout: docs/crypto-layout.md.
public enum CryptoMaterialGenerator {
    /// The top-level entries generation owns in its output folder.
    static let ownedEntries = ["peerOrganizations", "ordererOrganizations", "crypto.json"]

    /// Writes the material `specification` describes into `directory` and returns what it wrote.
    ///
    /// - Parameters:
    ///   - overwrite: replace existing material (the owned entries are deleted first); without it,
    ///     existing material is an error and nothing is written.
    ///   - now: certificates are valid from an hour before `now` for `validityDays`.
    public static func generate(
        _ specification: CryptoSpecification,
        into directory: URL,
        overwrite: Bool = false,
        now: Date = Date()
    ) throws(IdentityError) -> CryptoMaterial {
        try specification.validate()
        for entry in ownedEntries {
            let url = directory.appendingPathComponent(entry)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            guard overwrite else { throw .materialExists(path: url.path) }
            try MaterialFiles.remove(url)
        }
        let notBefore = now.addingTimeInterval(-3600)
        let notAfter = notBefore.addingTimeInterval(TimeInterval(specification.validityDays ?? 3650) * 24 * 3600)
        var organizations: [GeneratedOrganization] = []
        for organization in specification.resolvedOrganizations() {
            var writer = OrganizationWriter(
                organization: organization, root: directory, notBefore: notBefore, notAfter: notAfter)
            organizations.append(try writer.write())
        }
        let material = CryptoMaterial(directory: directory.path, organizations: organizations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifest: Data
        do { manifest = try encoder.encode(material) } catch {
            throw .fileSystem(path: directory.appendingPathComponent("crypto.json").path, reason: "\(error)")
        }
        try MaterialFiles.write(String(decoding: manifest, as: UTF8.self) + "\n",
                                to: directory.appendingPathComponent("crypto.json"), mode: MaterialFiles.publicMode)
        return material
    }
}

/// Writes one organization: CA, MSP folder, nodes, administrator, users.
struct OrganizationWriter {
    let organization: CryptoSpecification.ResolvedOrganization
    let root: URL
    let notBefore: Date
    let notAfter: Date

    /// Path of the organization's folder relative to the output folder.
    var relativePath: String {
        (organization.isOrderer ? "ordererOrganizations/" : "peerOrganizations/") + organization.domain
    }

    mutating func write() throws(IdentityError) -> GeneratedOrganization {
        let caName = "ca.\(organization.domain)"
        let authority: CertificateAuthority
        do {
            authority = try CertificateAuthority.selfSigned(
                subject: DistinguishedName(organization: organization.name, commonName: caName),
                notBefore: notBefore, notAfter: notAfter)
        } catch { throw .crypto(error) }
        let caCertificate = authority.certificate.pemRepresentation
        try put(caCertificate, "ca/\(caName).pem")
        try put(pem(authority.signingKey), "ca/\(caName).key", mode: MaterialFiles.privateMode)
        try put(caCertificate, "msp/cacerts/\(caName).pem")
        try put(json(["name": organization.name, "mspID": organization.mspID], "msp/msp.json"), "msp/msp.json")

        var identities: [GeneratedIdentity] = []
        let nodeRole: Role = organization.isOrderer ? .orderer : .peer
        for index in 0..<organization.nodes {
            let host = "\(nodeRole.rawValue)\(index).\(organization.domain)"
            identities.append(try issue(host, role: nodeRole, folder: "\(nodeRole.rawValue)s/\(host)",
                                        hosts: [host, "localhost", "127.0.0.1"], authority: authority))
        }
        let adminName = "Admin@\(organization.domain)"
        let admin = try issue(adminName, role: .admin, folder: "users/\(adminName)", hosts: [], authority: authority)
        identities.append(admin)
        try put(MaterialFiles.read(root.appendingPathComponent(admin.certificatePath)), "msp/admincerts/\(adminName).pem")
        for index in 0..<organization.users {
            let name = "User\(index + 1)@\(organization.domain)"
            identities.append(try issue(name, role: .client, folder: "users/\(name)", hosts: [], authority: authority))
        }
        return GeneratedOrganization(
            name: organization.name, mspID: organization.mspID, domain: organization.domain,
            kind: organization.isOrderer ? "orderer" : "peer", path: relativePath, mspPath: relativePath + "/msp",
            caCertificatePath: relativePath + "/ca/\(caName).pem", caPrivateKeyPath: relativePath + "/ca/\(caName).key",
            identities: identities)
    }

    private func issue(
        _ name: String, role: Role, folder: String, hosts: [String], authority: CertificateAuthority
    ) throws(IdentityError) -> GeneratedIdentity {
        let key: P256SigningKey
        let certificate: Certificate
        do {
            key = try P256SigningKey()
            let names = hosts.map(SubjectAlternativeName.init(host:))
            certificate = try authority.issue(CertificateTemplate(
                subject: DistinguishedName(organization: organization.name, organizationalUnits: [role.rawValue], commonName: name),
                publicKey: key.publicKey, subjectAlternativeNames: names, notBefore: notBefore, notAfter: notAfter))
        } catch { throw .crypto(error) }
        try put(certificate.pemRepresentation, "\(folder)/cert.pem")
        try put(pem(key), "\(folder)/key.pem", mode: MaterialFiles.privateMode)
        try put(authority.certificate.pemRepresentation, "\(folder)/ca.pem")
        try put(json(["mspID": organization.mspID, "name": name, "role": role.rawValue], "\(folder)/identity.json"),
                "\(folder)/identity.json")
        let path = "\(relativePath)/\(folder)"
        return GeneratedIdentity(name: name, role: role, path: path, certificatePath: path + "/cert.pem",
                                 privateKeyPath: path + "/key.pem", hosts: hosts)
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
