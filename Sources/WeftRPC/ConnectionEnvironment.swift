import Logging
import NIOConcurrencyHelpers
import NIOCore

/// What every connection of one server shares: handlers, TLS, authorizer, limits, logger,
/// and the set of open connections (for shutdown). Immutable except for the connection set, which
/// a lock guards.
final class ConnectionEnvironment: Sendable {
    let routes: RPCRoutes
    let security: RPCTransportSecurity
    let authorize: Authorizer
    let configuration: RPCServerConfiguration
    let logger: Logger
    /// Logs refused connections once per burst.
    let admissionLog: BurstLog
    /// The server's metrics.
    let metrics: RPCServerMetrics
    private let connections = NIOLockedValueBox(Registry())

    struct Registry {
        var channels: [ObjectIdentifier: Channel] = [:]
        /// Connections still in their TLS handshake, oldest first, by remote address; and each one's address.
        var handshaking: [String: [ObjectIdentifier]] = [:]
        var handshakingAddress: [ObjectIdentifier: String] = [:]
        var isDraining = false
    }

    /// Why `register` refused a connection.
    enum Admission {
        /// Admitted; `evicted` is the oldest connection of the same address still in its handshake,
        /// closed to make room when the address had its maximum.
        case admitted(evicted: Channel?)
        case draining
        case serverFull(Int)
    }

    init(routes: RPCRoutes, security: RPCTransportSecurity, authorize: @escaping Authorizer,
         configuration: RPCServerConfiguration, logger: Logger) {
        self.routes = routes
        self.security = security
        self.authorize = authorize
        self.configuration = configuration
        self.logger = logger
        self.admissionLog = BurstLog(logger: logger)
        self.metrics = RPCServerMetrics(routes: routes)
    }

    /// Records an accepted connection from `address` (its IP), unless the server is shutting down or
    /// holds `maximumConnections` already (the caller then closes it). When `address` already has
    /// `maximumHandshakesPerAddress` connections in their TLS handshake, the oldest of them is
    /// evicted: a host that opens connections and never authenticates cannot fill the server, nor
    /// keep a legitimate client behind the same address out.
    func register(_ channel: Channel, address: String) -> Admission {
        connections.withLockedValue { registry in
            guard !registry.isDraining else { return .draining }
            guard registry.channels.count < configuration.maximumConnections else { return .serverFull(configuration.maximumConnections) }
            var evicted: Channel?
            if registry.handshaking[address, default: []].count >= configuration.maximumHandshakesPerAddress,
               let oldest = registry.handshaking[address]?.first {
                evicted = registry.channels[oldest]
                Self.endHandshake(oldest, in: &registry)
            }
            let id = ObjectIdentifier(channel)
            registry.channels[id] = channel
            registry.handshaking[address, default: []].append(id)
            registry.handshakingAddress[id] = address
            return .admitted(evicted: evicted)
        }
    }

    /// The connection finished its TLS handshake: it no longer counts against its address's quota.
    func handshakeCompleted(_ channel: Channel) {
        connections.withLockedValue { Self.endHandshake(ObjectIdentifier(channel), in: &$0) }
    }

    /// Forgets a closed connection.
    func unregister(_ channel: Channel) {
        connections.withLockedValue { registry in
            let id = ObjectIdentifier(channel)
            registry.channels.removeValue(forKey: id)
            Self.endHandshake(id, in: &registry)
        }
    }

    private static func endHandshake(_ id: ObjectIdentifier, in registry: inout Registry) {
        guard let address = registry.handshakingAddress.removeValue(forKey: id) else { return }
        registry.handshaking[address]?.removeAll { $0 == id }
        if registry.handshaking[address]?.isEmpty == true { registry.handshaking[address] = nil }
    }

    /// Marks the server as shutting down and returns the connections open at that moment.
    func beginDraining() -> [Channel] {
        connections.withLockedValue { registry in
            registry.isDraining = true
            return Array(registry.channels.values)
        }
    }

    /// The connections currently open.
    var openChannels: [Channel] {
        connections.withLockedValue { Array($0.channels.values) }
    }
}
