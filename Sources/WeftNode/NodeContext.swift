#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto
import WeftRPC

/// What every node loads at start: its own signing identity, the channel's organizations, and how it
/// decides who may connect.
public struct NodeContext: Sendable {
    public let configuration: NodeConfiguration
    public let identity: SigningIdentity
    public let validator: IdentityValidator
    public let credentials: RPCCredentials

    public init(configuration: NodeConfiguration) throws {
        self.configuration = configuration
        identity = try SigningIdentity.load(from: URL(fileURLWithPath: configuration.identity))
        let organizations = try configuration.channel.organizations.map {
            try Organization.load(mspDirectory: URL(fileURLWithPath: $0))
        }
        validator = IdentityValidator(membership: try Membership(organizations: organizations))
        credentials = try RPCCredentials(mspID: identity.mspID, certificate: identity.certificate, signingKey: identity.signingKey)
    }

    /// Admits a connection when its identity is a valid member of the channel now; its role is the
    /// one in its certificate.
    public var authorizer: Authorizer { authorizer(requiring: nil) }

    /// Admits a member that has `role` (any role when nil): used to check the server a node connects to.
    public func authorizer(requiring role: Role?) -> Authorizer {
        let validator = validator
        return { identity, certificate in
            switch validator.validate(identity, at: Date(), requiring: role) {
            case .success(let validated):
                return .success(Caller(identity: identity, certificate: certificate,
                                       role: validated.isAdmin ? Role.admin.rawValue : validated.role.rawValue))
            case .failure(let failure):
                return .failure(AuthorizationRefusal("\(identity.mspID): \(failure)"))
            }
        }
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
