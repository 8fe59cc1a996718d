#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Generates the crypto material of a network, like Fabric's cryptogen: a CA and a TLS CA per
/// organization, and for every node, administrator and user a signing key and certificate and a TLS
/// key and certificate. Layout: docs/crypto-layout.md.
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
            let writer = OrganizationWriter(
                organization: organization, root: directory, notBefore: notBefore, notAfter: notAfter)
            organizations.append(try writer.write())
        }
        let material = CryptoMaterial(directory: directory.path, organizations: organizations)
        try material.save(in: directory)
        return material
    }
}
