import Logging
import ServiceLifecycle
import WeftRPC

/// A node's RPC server as a service: binds when the service group starts it, hands the bound port to
/// `ready` and `announce`, and on a graceful shutdown drains its connections (`RPCServer.shutdown`).
/// A failure to bind ends the process.
struct RPCServerService: Service, CustomStringConvertible {
    let configuration: RPCServerConfiguration
    let security: RPCTransportSecurity
    let routes: RPCRoutes
    let authorize: Authorizer
    let ready: ReadySignal
    /// Logs what the node serves once it listens on `port`.
    let announce: @Sendable (_ port: Int) -> Void
    /// Logs that the node begins its graceful shutdown.
    let announceShutdown: @Sendable () -> Void
    let logger: Logger

    var description: String { "the RPC server" }

    func run() async throws {
        let server: RPCServer
        do {
            server = try await RPCServer.start(
                configuration: configuration, security: security, routes: routes, authorize: authorize, logger: logger)
        } catch {
            throw ComponentFailure(component: description, reason: "cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
        await ready.set(port: server.port)
        announce(server.port)
        try? await gracefulShutdown()
        announceShutdown()
        await server.shutdown()
    }
}
