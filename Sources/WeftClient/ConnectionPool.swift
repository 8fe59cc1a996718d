#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftRPC

/// One mutual-TLS connection per node, opened on first use and reopened after it closes. Callers that
/// ask for a node while its connection is being opened wait for that one connection: without this,
/// every call issued during a handshake (hundreds, under load, when a round trip takes 100 ms across
/// sites) opened a connection of its own and all but one leaked.
actor ConnectionPool {
    private let security: RPCTransportSecurity
    private let membership: Membership
    private var clients: [String: RPCClient] = [:]
    /// Connections being opened, by address.
    private var opening: [String: Task<RPCClient, any Error>] = [:]

    init(security: RPCTransportSecurity, membership: Membership) {
        self.security = security
        self.membership = membership
    }

    /// An open connection to `address`, whose server must present a TLS certificate of a member with
    /// `role`, naming the host of `address` and the node `name`.
    func client(name: String, address: String, role: Role) async throws(GatewayError) -> RPCClient {
        if let existing = clients[address], existing.isOpen { return existing }
        if let pending = opening[address] { return try await Self.outcome(of: pending, name: name, address: address) }
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw .badProfile("\(name): \"\(address)\" is not host:port")
        }
        let host = address[..<colon].trimmingScalars { $0 == "[" || $0 == "]" }
        let security = security
        let authorizer = membership.tlsAuthorizer(requiring: role)
        let pending = Task<RPCClient, any Error> {
            try await RPCClient.connect(host: host, port: port, security: security, serverName: name, authorizeServer: authorizer)
        }
        opening[address] = pending
        defer { opening[address] = nil }
        let client = try await Self.outcome(of: pending, name: name, address: address)
        clients[address] = client
        return client
    }

    /// The connection `pending` opens, or `.unreachable` with the reason it could not.
    private static func outcome(of pending: Task<RPCClient, any Error>, name: String, address: String) async throws(GatewayError) -> RPCClient {
        do {
            return try await pending.value
        } catch let error as RPCError {
            throw .unreachable(node: name, address: address, reason: error.message)
        } catch {
            throw .unreachable(node: name, address: address, reason: "\(error)")
        }
    }

    /// Closes every connection.
    func closeAll() async {
        for client in clients.values { await client.close() }
        clients = [:]
    }
}
