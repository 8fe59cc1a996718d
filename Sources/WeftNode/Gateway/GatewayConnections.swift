import Logging
import WeftCore
import WeftRPC

/// The peer gateway's connections, opened on demand and kept: to other organizations' peers (each
/// authenticated as a peer of the organization it stands for) and to the channels' orderers (each as
/// the consenter it is listed as).
actor GatewayConnections {
    private let node: NodeContext
    private let logger: Logger
    private var clients: [String: RPCClient] = [:]
    /// The orderer that last took a broadcast (likely the Raft leader): tried first.
    private var preferredOrderer: String?

    init(node: NodeContext, logger: Logger) {
        self.node = node
        self.logger = logger
    }

    /// The connection to `peer`, which must present a peer certificate of `mspID`.
    func peer(_ peer: PeerGateway.Endorser, mspID: String) async throws -> RPCClient {
        let admission = node.authorizer(requiring: .peer)
        return try await client(name: peer.name, address: peer.address) { certificate in
            admission(certificate).flatMap { caller in
                caller.mspID == mspID ? .success(caller) : .failure(AuthorizationRefusal("\(caller) is not a peer of \(mspID)"))
            }
        }
    }

    /// The connection to `orderer`, which must be that consenter of `channel`.
    func orderer(_ orderer: ChannelConfiguration.Orderer, of channel: ChannelContext) async throws -> RPCClient {
        try await client(name: orderer.name, address: orderer.address,
                         authorize: channel.consenterAuthorizer(orderer, admission: node.authorizer(requiring: .orderer)))
    }

    /// `orderers` with the preferred one first.
    func orderersByPreference(_ orderers: [ChannelConfiguration.Orderer]) -> [ChannelConfiguration.Orderer] {
        guard let preferredOrderer, let position = orderers.firstIndex(where: { $0.name == preferredOrderer }) else { return orderers }
        var ordered = orderers
        ordered.insert(ordered.remove(at: position), at: 0)
        return ordered
    }

    func prefer(_ orderer: String) { preferredOrderer = orderer }

    private func client(name: String, address: String, authorize: @escaping Authorizer) async throws -> RPCClient {
        let key = "\(name)@\(address)"
        if let client = clients[key], client.isOpen { return client }
        guard let endpoint = Endpoint(address) else { throw RPCError(.badRequest, "\(name) has a bad address \(address)") }
        let client = try await RPCClient.connect(
            host: endpoint.host, port: endpoint.port, security: node.security, serverName: name, authorizeServer: authorize, logger: logger)
        clients[key] = client
        return client
    }

    /// Closes the connection to `name` at `address` (it failed); the next call dials again.
    func drop(_ name: String, address: String) async {
        if let client = clients.removeValue(forKey: "\(name)@\(address)") { await client.close() }
    }
}
