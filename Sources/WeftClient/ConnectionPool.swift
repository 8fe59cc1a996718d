#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftRPC

/// One mutual-TLS connection per node, opened on first use and reopened after it closes.
actor ConnectionPool {
    private let security: RPCTransportSecurity
    private let membership: Membership
    private var clients: [String: RPCClient] = [:]

    init(security: RPCTransportSecurity, membership: Membership) {
        self.security = security
        self.membership = membership
    }

    /// An open connection to `address`, whose server must present a TLS certificate of a member with
    /// `role`, naming the host of `address` and the node `name`.
    func client(name: String, address: String, role: Role) async throws(GatewayError) -> RPCClient {
        if let existing = clients[address], existing.isOpen { return existing }
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw .badProfile("\(name): \"\(address)\" is not host:port")
        }
        let host = address[..<colon].trimmingScalars { $0 == "[" || $0 == "]" }
        do {
            let client = try await RPCClient.connect(
                host: host, port: port, security: security, serverName: name,
                authorizeServer: membership.tlsAuthorizer(requiring: role))
            clients[address] = client
            return client
        } catch {
            throw .unreachable(node: name, address: address, reason: error.message)
        }
    }

    /// Closes every connection.
    func closeAll() async {
        for client in clients.values { await client.close() }
        clients = [:]
    }
}
