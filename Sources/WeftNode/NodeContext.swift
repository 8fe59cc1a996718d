#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Logging
import WeftCore
import WeftCrypto
import WeftClient
import WeftRPC

/// What every node loads at start: its own signing identity, its TLS certificate, the channel's
/// organizations (orderer organizations bound from the consenter set), and how it decides who may
/// connect.
public struct NodeContext: Sendable {
    public let configuration: NodeConfiguration
    public let identity: SigningIdentity
    public let validator: IdentityValidator
    /// The node's TLS certificate and key, for its server and its outgoing connections; replaced when
    /// the files change (`TLSCertificateReloader`).
    public let security: RPCTransportSecurity

    public init(configuration: NodeConfiguration) throws {
        self.configuration = configuration
        identity = try SigningIdentity.load(from: URL(fileURLWithPath: configuration.identity))
        let organizations = try configuration.channel.organizations.map {
            try Organization.load(mspDirectory: URL(fileURLWithPath: $0))
        }
        validator = IdentityValidator(membership: try Membership(
            organizations: organizations, ordererMSPIDs: configuration.channel.ordererMSPIDs))
        let credentials = try RPCCredentials.load(
            certificateFile: configuration.tlsCertificatePath, keyFile: configuration.tlsKeyPath)
        security = try RPCTransportSecurity(credentials: credentials, allowsTLS12: configuration.tls?.allowTLS12 ?? false)
    }

    /// Admits a connection whose TLS certificate is valid now and issued by a member organization's
    /// TLS CA; its role is the one in its certificate, if its organization may grant it.
    public var authorizer: Authorizer { authorizer(requiring: nil) }

    /// Admits a member that has `role` (any role when nil): used to check the server a node connects to.
    public func authorizer(requiring role: Role?) -> Authorizer {
        validator.membership.tlsAuthorizer(requiring: role)
    }

    /// The consenter `caller` authenticated as: the orderer of the channel whose pinned TLS key is the
    /// key of the caller's TLS certificate (or, for a consenter without a pin, whose name and
    /// organization the certificate carries). nil for anyone else.
    public func consenter(_ caller: Caller) -> ChannelConfiguration.Orderer? {
        guard caller.role == Role.orderer.rawValue else { return nil }
        let key = ConsenterPin.keySHA256(of: caller.certificate)
        return configuration.channel.orderers.first { orderer in
            if let pinned = orderer.tlsKeySHA256 { return pinned.lowercased() == key }
            return (orderer.mspID.map { $0 == caller.mspID } ?? true) && caller.certificate.subject.commonName == orderer.name
        }
    }

    /// SHA-256 (hex) of the signing keys of consenters that pin one; nil when none does.
    public var consenterSigningKeys: Set<String>? {
        let keys = configuration.channel.orderers.compactMap { $0.signingKeySHA256?.lowercased() }
        return keys.isEmpty ? nil : Set(keys)
    }

    /// Watches the node's TLS files (and SIGHUP) and rotates its certificate for new connections.
    func certificateReloader(logger: Logger) -> TLSCertificateReloader {
        TLSCertificateReloader(certificatePath: configuration.tlsCertificatePath, keyPath: configuration.tlsKeyPath,
                               security: security, logger: logger)
    }

    /// The channel's ledger file in the node's data folder.
    public var ledgerPath: String {
        URL(fileURLWithPath: configuration.dataDir).appendingPathComponent("\(configuration.channel.id).sqlite").path
    }

    /// Creates the data folder if needed.
    public func prepareDataDirectory() throws {
        try FileManager.default.createDirectory(atPath: configuration.dataDir, withIntermediateDirectories: true)
    }
}
