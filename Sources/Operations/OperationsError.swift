/// Errors of the Operations module.
public enum OperationsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A log spec that does not parse; the text names the offending term.
    case invalidLogSpec(String)
    /// A listen address that is not `host:port` with a port in 0…65535.
    case invalidListenAddress(String)
    /// The operations server could not bind its address.
    case bindFailed(address: String, reason: String)
    /// TLS cannot use the operations endpoint's certificate or key.
    case tlsUnavailable(reason: String)

    public var description: String {
        switch self {
        case .invalidLogSpec(let why):
            return "invalid log spec: \(why)"
        case .invalidListenAddress(let address):
            return "invalid operations address '\(address)': expected host:port, e.g. 0.0.0.0:9443 or 127.0.0.1:0"
        case .bindFailed(let address, let reason):
            return "the operations server could not listen on \(address): \(reason)"
        case .tlsUnavailable(let reason):
            return "the operations endpoint cannot serve HTTPS with the node's TLS certificate and key: \(reason)"
        }
    }
}
