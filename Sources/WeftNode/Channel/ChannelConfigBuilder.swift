#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto

/// Builds a channel's configuration from the folders `weft crypto generate` writes (as Fabric's
/// `configtxgen` does from MSP folders): organizations from their `msp/` folders, consenters from
/// orderer identity folders.
public enum ChannelConfigBuilder {
    /// An organization's definition from its MSP folder. An orderer organization grants `orderer`,
    /// `admin` and `client`; a peer organization `peer`, `admin` and `client`.
    public static func organization(
        mspFolder: URL, isOrderer: Bool, anchorPeers: [ChannelConfig.AnchorPeer] = []
    ) throws -> ChannelConfig.Organization {
        let organization = try Organization.load(mspDirectory: mspFolder)
        return ChannelConfig.Organization(
            name: organization.name, mspID: organization.mspID,
            roles: isOrderer ? ["orderer", "admin", "client"] : ["peer", "admin", "client"],
            caCertificates: organization.caCertificates.map(\.derRepresentation),
            tlsCACertificates: organization.tlsCACertificates.map(\.derRepresentation),
            adminCertificates: organization.adminCertificates.map(\.derRepresentation),
            revokedSerialNumbers: organization.revokedSerialNumbers.sorted(), anchorPeers: anchorPeers)
    }

    /// A consenter from an orderer's identity folder: `identity.json` (its MSP id), `cert.pem` and
    /// `tls/cert.pem`. Certificates only: whoever writes a genesis block needs no orderer's key.
    public static func consenter(name: String, identityFolder: URL, raftID: UInt64, address: String) throws -> ChannelConfig.Consenter {
        struct Description: Decodable { let mspID: String }
        let descriptionFile = identityFolder.appendingPathComponent("identity.json")
        guard let json = FileManager.default.contents(atPath: descriptionFile.path) else { throw ConfigurationError.unreadable(path: descriptionFile.path) }
        let description: Description
        do { description = try JSONDecoder().decode(Description.self, from: json) } catch {
            throw ConfigurationError.invalid(path: descriptionFile.path, reason: "expected {\"mspID\": …}: \(error)")
        }
        return ChannelConfig.Consenter(
            name: name, mspID: description.mspID, raftID: raftID, address: address,
            tlsCertificate: try certificate(identityFolder.appendingPathComponent("tls/cert.pem")).derRepresentation,
            signingCertificate: try certificate(identityFolder.appendingPathComponent("cert.pem")).derRepresentation)
    }

    private static func certificate(_ file: URL) throws -> Certificate {
        guard let pem = FileManager.default.contents(atPath: file.path) else { throw ConfigurationError.unreadable(path: file.path) }
        return try Certificate(pemRepresentation: String(decoding: pem, as: UTF8.self))
    }
}
