import Identity
import NIOConcurrencyHelpers
import WeftProtocol
import WeftRPC

/// Who may open a connection to a node: members (by TLS certificate) of the node's own organization
/// and of every organization of the channels it has joined. Widened on join, narrowed on leave.
public final class NodeAdmission: Sendable {
    private let local: Organization
    private let isOrderer: Bool
    private let current: NIOLockedValueBox<Membership>
    /// The channels whose members are admitted, by name.
    private let channels = NIOLockedValueBox<[String: ChannelContext]>([:])

    init(local: Organization, isOrderer: Bool) throws {
        self.local = local
        self.isOrderer = isOrderer
        current = NIOLockedValueBox(try Membership(organizations: [local], ordererMSPIDs: isOrderer ? [local.mspID] : nil))
    }

    /// The organizations admitted now.
    public var membership: Membership { current.withLockedValue { $0 } }

    /// Admits the members of `channels` (and of the node's organization), replacing what was admitted.
    public func update(channels: [ChannelContext]) throws {
        let admitted = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        try self.channels.withLockedValue { current in
            try admit(admitted)
            current = admitted
        }
    }

    /// Admits the members of `channel` as its configuration now defines them, in place of its earlier
    /// configuration's (an organization added by an update is admitted, a removed one no longer).
    public func replace(_ channel: ChannelContext) throws {
        try channels.withLockedValue { admitted in
            var changed = admitted
            changed[channel.name] = channel
            try admit(changed)
            admitted = changed
        }
    }

    /// Admits the members of `admitted`; an organization defined by several channels is admitted as the
    /// first of them (by name) defines it. Called with `channels` locked.
    private func admit(_ admitted: [String: ChannelContext]) throws {
        var organizations = [local]
        var ordererMSPIDs: Set<String> = isOrderer ? [local.mspID] : []
        for channel in admitted.values.sorted(by: { $0.name < $1.name }) {
            let membership = channel.validator.membership
            for organization in membership.organizations where !organizations.contains(where: {
                $0.mspID == organization.mspID || $0.name == organization.name
            }) {
                organizations.append(organization)
            }
            ordererMSPIDs.formUnion(membership.ordererMSPIDs ?? [])
        }
        let membership = try Membership(organizations: organizations, ordererMSPIDs: ordererMSPIDs.isEmpty ? nil : ordererMSPIDs)
        current.withLockedValue { $0 = membership }
    }

    /// Admits a member that has `role` (any role when nil), checked against the organizations admitted
    /// at the time of the handshake.
    public func authorizer(requiring role: Role?) -> Authorizer {
        { certificate in self.membership.tlsAuthorizer(requiring: role)(certificate) }
    }
}
