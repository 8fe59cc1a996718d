import WeftCore
import WeftRPC
import Wire

/// Channel participation over the node's TLS port (as Fabric's `osnadmin channel` and
/// `peer channel`): join with a genesis block, list, leave. Only administrators of the node's own
/// organization may call them.
enum ChannelAdminRoutes {
    static func add<Service: ChannelService>(
        to routes: inout RPCRoutes, registry: ChannelRegistry<Service>, dataFiles: @escaping @Sendable (String) -> [String]
    ) {
        let node = registry.node
        let admins = AllowedCallers.roles([.admin])
        routes.unary(.channelJoin, allowed: admins) { request, caller in
            try node.requireLocalAdmin(caller)
            return try await refusingChannelErrors { try await registry.join(genesisBytes: request).canonicalBytes }
        }
        routes.unary(.channelList, allowed: admins) { _, caller in
            try node.requireLocalAdmin(caller)
            return registry.listing.canonicalBytes
        }
        routes.unary(.channelRemove, allowed: admins) { request, caller in
            try node.requireLocalAdmin(caller)
            let removal = try PeerRoutes.decode(ChannelRemoval.self, request)
            return try await refusingChannelErrors {
                try await registry.remove(removal.name, deleteData: removal.deleteData, dataFiles: dataFiles).canonicalBytes
            }
        }
    }

    /// A channel refusal is the caller's (bad request); other failures are the node's.
    private static func refusingChannelErrors(_ work: () async throws -> [UInt8]) async throws -> [UInt8] {
        do {
            return try await work()
        } catch let error as ChannelRefusal {
            throw RPCError(.badRequest, error.description)
        }
    }
}
