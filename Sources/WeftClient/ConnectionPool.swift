#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftRPC

/// One authenticated connection per node, opened on first use and reopened after it closes.
actor ConnectionPool {
    private let credentials: RPCCredentials
    private let validator: IdentityValidator
    private var clients: [String: RPCClient] = [:]

    init(credentials: RPCCredentials, validator: IdentityValidator) {
        self.credentials = credentials
        self.validator = validator
    }

    /// An open connection to `address`, whose server must be a valid member with `role`.
    func client(name: String, address: String, role: Role) async throws(GatewayError) -> RPCClient {
        if let existing = clients[address], existing.isOpen { return existing }
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw .badProfile("\(name): \"\(address)\" is not host:port")
        }
        let host = address[..<colon].trimmingScalars { $0 == "[" || $0 == "]" }
        let validator = validator
        do {
            let client = try await RPCClient.connect(
                host: host, port: port, credentials: credentials,
                authorizeServer: { identity, certificate in
                    switch validator.validate(identity, at: Date(), requiring: role) {
                    case .success(let validated):
                        return .success(Caller(identity: identity, certificate: certificate, role: validated.role.rawValue))
                    case .failure(let failure):
                        return .failure(AuthorizationRefusal("\(identity.mspID): \(failure)"))
                    }
                })
            clients[address] = client
            return client
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
