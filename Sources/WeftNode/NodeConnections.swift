import Logging
import WeftCore
import WeftProtocol
import WeftRPC

/// A node's connections to other nodes, opened on demand, kept, and shared by every channel: one per
/// node (by name and address). An orderer's links to the other consenters use them; so does a peer's
/// gateway, to other organizations' peers and to the orderers.
actor NodeConnections {
    private let node: NodeContext
    private let logger: Logger
    private var clients: [String: RPCClient] = [:]
    private var lastReported: [String: String] = [:]

    init(node: NodeContext, logger: Logger) {
        self.node = node
        self.logger = logger
    }

    /// How many nodes this one has an open connection to.
    var openCount: Int { clients.values.filter(\.isOpen).count }

    /// The connection to `orderer`, opened if needed; the server must be that consenter of `channel`.
    func client(for orderer: ChannelConfiguration.Orderer, of channel: ChannelContext) async throws -> RPCClient {
        try await client(name: orderer.name, address: orderer.address,
                         authorize: channel.consenterAuthorizer(orderer, admission: node.authorizer(requiring: .orderer)))
    }

    /// The connection to a peer of `mspID` named `name` at `address`, opened if needed.
    func peer(name: String, address: String, mspID: String) async throws -> RPCClient {
        let admission = node.authorizer(requiring: .peer)
        return try await client(name: name, address: address) { certificate in
            admission(certificate).flatMap { caller in
                caller.mspID == mspID ? .success(caller) : .failure(AuthorizationRefusal("\(caller) is not a peer of \(mspID)"))
            }
        }
    }

    /// The connection to `name` at `address`, opened if needed; `authorize` decides whether the server
    /// is the node meant.
    private func client(name: String, address: String, authorize: @escaping Authorizer) async throws -> RPCClient {
        let key = "\(name)@\(address)"
        if let client = clients[key], client.isOpen { return client }
        guard let endpoint = Endpoint(address) else { throw RPCError(.badRequest, "\(name) has a bad address \(address)") }
        let client = try await RPCClient.connect(
            host: endpoint.host, port: endpoint.port, security: node.security, serverName: name, authorizeServer: authorize, logger: logger)
        clients[key] = client
        lastReported[name] = nil
        return client
    }

    /// Logs why sending to `destination` failed, once per distinct reason; connection refusals (a node
    /// that is down) at debug level, anything else (a refused TLS handshake) as a warning.
    func report(_ error: any Error, destination: String) {
        let reason = "\(error)"
        guard lastReported[destination] != reason else { return }
        lastReported[destination] = reason
        if let rpc = error as? RPCError, rpc.code == .unavailable {
            logger.debug("cannot reach \(destination): \(reason)")
        } else {
            logger.warning("cannot send to \(destination): \(reason)")
        }
    }

    /// Closes the connection to `name` at `address` (it failed); the next call dials again.
    func drop(name: String, address: String) async {
        if let client = clients.removeValue(forKey: "\(name)@\(address)") { await client.close() }
    }
}
