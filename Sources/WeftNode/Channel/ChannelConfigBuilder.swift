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

    /// A consenter from an orderer's identity folder (`cert.pem`, `tls/cert.pem`, `identity.json`).
    public static func consenter(name: String, identityFolder: URL, raftID: UInt64, address: String) throws -> ChannelConfig.Consenter {
        let identity = try SigningIdentity.load(from: identityFolder)
        let tlsFile = identityFolder.appendingPathComponent("tls/cert.pem")
        guard let pem = FileManager.default.contents(atPath: tlsFile.path) else { throw ConfigurationError.unreadable(path: tlsFile.path) }
        let tls = try Certificate(pemRepresentation: String(decoding: pem, as: UTF8.self))
        return ChannelConfig.Consenter(
            name: name, mspID: identity.mspID, raftID: raftID, address: address,
            tlsCertificate: tls.derRepresentation, signingCertificate: identity.certificate.derRepresentation)
    }
}
