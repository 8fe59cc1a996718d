import NIOHTTP1

/// Who may call a route of the operations endpoint when it serves HTTPS (``OperationsTLS``). Reading
/// is open to anyone, as in Fabric (probes and Prometheus carry no certificate); changing the node needs
/// a client certificate of an administrator of the node's organization. Without TLS every route is
/// open, and the endpoint listens on loopback by default.
public enum OperationsAccess: Sendable, Equatable {
    /// Anyone who can reach the port.
    case anyone
    /// A client that presented, in the TLS handshake, a certificate that
    /// ``OperationsTLS/isAdministrator`` accepts.
    case administrator

    /// The access `method` on `path` needs over HTTPS.
    public static func required(method: HTTPMethod, path: String) -> OperationsAccess {
        switch (method, path) {
        case (.PUT, "/logspec"): return .administrator
        default: return .anyone
        }
    }

    /// The answer to a request that needed an administrator; `presented` tells whether the client sent a
    /// certificate at all.
    static func forbidden(method: HTTPMethod, path: String, presented: Bool) -> OperationsResponse {
        let need = "\(method.rawValue) \(path) needs a TLS client certificate of an administrator of this node's organization"
        let why = presented
            ? "the certificate presented is not one (unknown issuer, expired, revoked, another organization or not an admin)"
            : "the connection presented no client certificate"
        return .error(.forbidden, "\(need); \(why)")
    }
}
