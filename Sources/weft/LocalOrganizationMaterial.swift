#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCommandLine

/// A new peer organization's crypto material, added to a local network's `crypto/` folder and to its
/// `crypto.json` (`weft network add-org`).
enum LocalOrganizationMaterial {
    /// Generates organization `name` (MSP id `<name>MSP`) with `peers` peers, an admin and one user
    /// into `cryptoFolder`, beside the organizations already there. Refuses a name or MSP id in use.
    static func generate(name: String, peers: Int, in cryptoFolder: URL) throws -> GeneratedOrganization {
        guard var material = try LocalNetworkSetup.existingMaterial(in: cryptoFolder) else {
            throw CLIFailure(.usage, "\(cryptoFolder.path) holds no crypto material (crypto.json)")
        }
        let mspID = "\(name)MSP"
        if let existing = material.organizations.first(where: { $0.name.lowercased() == name.lowercased() || $0.mspID == mspID }) {
            throw CLIFailure(.usage, "the network already has organization \(existing.name) (\(existing.mspID))")
        }
        // Generated on its own (its own CAs), then moved beside the others with the same relative layout.
        let scratch = cryptoFolder.appendingPathComponent(".add-\(name.lowercased())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let generated = try CryptoMaterialGenerator.generate(
            CryptoSpecification(peerOrganizations: [.init(name: name, peers: peers, users: 1)], ordererOrganization: .init(orderers: 1)),
            into: scratch)
        guard let organization = generated.organization(mspID) else { throw CLIFailure(.other, "generating \(mspID) wrote no organization") }
        let target = cryptoFolder.appendingPathComponent(organization.path)
        guard !FileManager.default.fileExists(atPath: target.path) else {
            throw CLIFailure(.usage, "\(target.path) exists already: remove it or choose another --name")
        }
        try FileManager.default.moveItem(at: scratch.appendingPathComponent(organization.path), to: target)
        material.organizations.append(organization)
        material.directory = cryptoFolder.path
        try material.save(in: cryptoFolder)
        return organization
    }

    /// Where the organization's folder is, relative to the network folder.
    static func cryptoPath(_ organization: GeneratedOrganization) -> String { "crypto/\(organization.path)" }
}
