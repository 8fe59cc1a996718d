#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Logging
import WeftCore
import WeftCrypto
import WeftProtocol
import WeftRPC

/// What every node loads at start: its own signing identity, its TLS certificate, its organization,
/// and who may connect — its organization's members and the members of every channel it has joined.
public struct NodeContext: Sendable {
    public let configuration: NodeConfiguration
    public let identity: SigningIdentity
    /// The node's own organization, from its MSP folder: its administrators manage the node.
    public let organization: Organization
    /// The node's TLS certificate and key, for its server and its outgoing connections; replaced when
    /// the files change (`TLSCertificateReloader`).
    public let security: RPCTransportSecurity
    /// Who may connect, widened as channels are joined.
    public let admission: NodeAdmission
    /// The endorsements this node signed lately, shared by its channels' endorsers (which record
    /// them) and committers (which then skip verifying them).
    public let ownSignatures = OwnSignatures()

    public init(configuration: NodeConfiguration) throws {
        self.configuration = configuration
        identity = try SigningIdentity.load(from: URL(fileURLWithPath: configuration.identity))
        organization = try Organization.load(mspDirectory: URL(fileURLWithPath: configuration.mspPath))
        guard organization.mspID == configuration.mspID else {
            throw ConfigurationError.invalid(path: "msp", reason: "\(configuration.mspPath) is the MSP of \(organization.mspID), not of this node's organization \(configuration.mspID)")
        }
        admission = try NodeAdmission(local: organization, isOrderer: configuration.role == .orderer)
        let credentials = try RPCCredentials.load(
            certificateFile: configuration.tlsCertificatePath, keyFile: configuration.tlsKeyPath)
        security = try RPCTransportSecurity(credentials: credentials, allowsTLS12: configuration.tls?.allowTLS12 ?? false)
    }

    /// Admits a connection whose TLS certificate is valid now and issued by the TLS CA of the node's
    /// organization or of a member organization of one of its channels.
    public var authorizer: Authorizer { admission.authorizer(requiring: nil) }

    /// Admits a member that has `role` (any role when nil): used to check the server a node connects to.
    public func authorizer(requiring role: Role?) -> Authorizer { admission.authorizer(requiring: role) }

    /// Refuses `caller` unless it is an administrator of the node's organization (channel
    /// participation and other node administration).
    public func requireLocalAdmin(_ caller: Caller) throws(RPCError) {
        guard caller.mspID == configuration.mspID, caller.role == .admin else {
            throw RPCError(.permissionDenied, "only an admin of \(configuration.mspID) may administer \(configuration.name); \(caller) is not one")
        }
    }

    /// Watches the node's TLS files (and SIGHUP) and rotates its certificate for new connections.
    func certificateReloader(logger: Logger) -> TLSCertificateReloader {
        TLSCertificateReloader(certificatePath: configuration.tlsCertificatePath, keyPath: configuration.tlsKeyPath,
                               security: security, logger: logger)
    }

    /// The folder of the node's channels: `<dataDir>/channels/<name>/` holds each one's `genesis.block`
    /// (and, on an orderer, its Raft log and block store).
    public var channelsFolder: URL {
        URL(fileURLWithPath: configuration.dataDir).appendingPathComponent("channels")
    }

    /// The folder of channel `name`.
    public func channelFolder(_ name: String) -> URL { channelsFolder.appendingPathComponent(name) }

    /// A peer's ledger file of channel `name`: `<dataDir>/<name>.sqlite`.
    public func ledgerPath(channel name: String) -> String {
        URL(fileURLWithPath: configuration.dataDir).appendingPathComponent("\(name).sqlite").path
    }

    /// Creates the data folder if needed.
    public func prepareDataDirectory() throws {
        try FileManager.default.createDirectory(at: channelsFolder, withIntermediateDirectories: true)
    }
}
