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
    private let connections = NIOLockedValueBox(Registry())

    struct Registry {
        var channels: [ObjectIdentifier: Channel] = [:]
        var isDraining = false
    }

    init(routes: RPCRoutes, security: RPCTransportSecurity, authorize: @escaping Authorizer,
         configuration: RPCServerConfiguration, logger: Logger) {
        self.routes = routes
        self.security = security
        self.authorize = authorize
        self.configuration = configuration
        self.logger = logger
    }

    /// Records an accepted connection; returns false when the server is shutting down (the caller
    /// then closes it).
    func register(_ channel: Channel) -> Bool {
        connections.withLockedValue { registry in
            guard !registry.isDraining else { return false }
            registry.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    /// Forgets a closed connection.
    func unregister(_ channel: Channel) {
        _ = connections.withLockedValue { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
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
