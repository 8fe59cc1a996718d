#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCrypto

/// Issues a new node identity in an organization of existing crypto material (an orderer added to a
/// running network: `weft network add-orderer`), from the organization's own CA and TLS CA, with the
/// same folder layout as `CryptoMaterialGenerator`, and records it in `crypto.json`.
public enum CryptoMaterialIssuance {
    /// Issues node `name` (its host name, e.g. `orderer3.orderer`) with `role` in the organization with
    /// MSP id `mspID`; its certificates name `name`, `localhost` and `127.0.0.1` (and `hosts`), are valid
    /// from an hour before `now` until the organization's CA expires. Refuses a name in use.
    public static func addNode(
        in directory: URL, organization mspID: String, name: String, role: Role, hosts: [String] = [], now: Date = Date()
    ) throws(IdentityError) -> GeneratedIdentity {
        guard let root = CryptoMaterial.materialDirectory(in: directory) else {
            throw .malformedMaterial(path: directory.appendingPathComponent("crypto.json").path, reason: "no crypto.json here or in crypto/")
        }
        var material = try CryptoMaterial.load(from: root)
        guard let index = material.organizations.firstIndex(where: { $0.mspID == mspID }) else {
            throw .invalidSpecification("no organization \(mspID) in \(root.path)/crypto.json (\(material.organizations.map(\.mspID).joined(separator: ", ")))")
        }
        guard material.identity(named: name) == nil else { throw .invalidSpecification("identity \(name) exists already") }
        let organization = material.organizations[index]
        let signing = try CryptoMaterialRenewal.loadAuthority(
            certificate: organization.caCertificatePath, key: organization.caPrivateKeyPath, in: root, label: "the CA")
        let tls = try CryptoMaterialRenewal.loadAuthority(
            certificate: organization.tlsCACertificatePath, key: organization.tlsCAPrivateKeyPath, in: root, label: "the TLS CA")
        let issuer = IdentityIssuer(
            organization: organization.name, mspID: mspID, root: root.appendingPathComponent(organization.path),
            relativePath: organization.path, signing: signing, tls: tls,
            notBefore: now.addingTimeInterval(-3600), notAfter: min(signing.certificate.notAfter, tls.certificate.notAfter))
        let identity = try issuer.issue(name, role: role, folder: "\(role.rawValue)s/\(name)", hosts: [name, "localhost", "127.0.0.1"] + hosts)
        // Nodes first, as the generator lists them.
        let position = material.organizations[index].identities.lastIndex { $0.role == role }.map { $0 + 1 } ?? 0
        material.organizations[index].identities.insert(identity, at: position)
        try material.save(in: root)
        return identity
    }
}
