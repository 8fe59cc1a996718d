import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The operations HTTP/1.1 server of a node, on its own port (like Fabric's 9443/8443): `/healthz`,
/// `/metrics`, `/logspec`, `/version`, answered by an ``OperationsRouter``; HTTPS when the configuration
/// has ``OperationsTLS``, and then `PUT /logspec` needs an administrator's client certificate
/// (``OperationsAccess``).
///
/// Admission: at most ``Configuration/maxConnections`` connections at once, each request read whole
/// within ``Configuration/requestTimeout`` and kept-alive connections closed after
/// ``Configuration/idleTimeout``.
///
/// ``start(configuration:router:group:logger:)`` binds and starts accepting; ``port`` is the bound port
/// (useful with port 0). ``shutdown()`` stops accepting, closes idle keep-alive connections, lets
/// requests in progress finish for the grace period and returns when every connection is closed.
/// Malformed requests get 400 and lose their connection; nothing a client sends stops the server.
public final class OperationsServer: Sendable {
    /// The address the server is bound to.
    public let localAddress: SocketAddress
    /// The configuration it was started with.
    public let configuration: Configuration

    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    private let listener: any Channel
    private let tracker: ConnectionTracker
    private let serving: Task<Void, Never>
    private let logger: Logger

    /// The bound TCP port.
    public var port: Int { localAddress.port ?? configuration.port }

    private init(localAddress: SocketAddress, configuration: Configuration, listener: any Channel,
                 tracker: ConnectionTracker, serving: Task<Void, Never>, logger: Logger) {
        self.localAddress = localAddress
        self.configuration = configuration
        self.listener = listener
        self.tracker = tracker
        self.serving = serving
        self.logger = logger
    }

    /// Binds `configuration`'s address and starts serving `router`.
    public static func start(configuration: Configuration, router: OperationsRouter,
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             logger: Logger = Logger(label: "weft.operations")) async throws(OperationsError) -> OperationsServer {
        let address = "\(configuration.host):\(configuration.port)"
        if let tls = configuration.tls {
            do {
                _ = try tls.context()
            } catch {
                throw .tlsUnavailable(reason: "\(error)")
            }
        }
        let initializer = OperationsChannelInitializer(configuration: configuration, logger: logger)
        let listener: NIOAsyncChannel<Connection?, Never>
        do {
            listener = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 128)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeSucceededFuture(initializer.initialize(channel))
                }
        } catch {
            throw .bindFailed(address: address, reason: "\(error)")
        }
        guard let localAddress = listener.channel.localAddress else {
            listener.channel.close(promise: nil)
            throw .bindFailed(address: address, reason: "the socket has no local address")
        }
        let tracker = ConnectionTracker()
        let connectionHandler = OperationsConnectionHandler(
            router: router, tracker: tracker, maxBodyBytes: configuration.maxBodyBytes, tls: configuration.tls,
            logger: logger)
        let serving = Task {
            await serve(listener, handler: connectionHandler, logger: logger)
        }
        logger.info("operations endpoint listening", metadata: [
            "address": "\(localAddress)", "scheme": "\(configuration.scheme)",
            "maxConnections": "\(configuration.maxConnections)",
        ])
        return OperationsServer(localAddress: localAddress, configuration: configuration, listener: listener.channel,
                                tracker: tracker, serving: serving, logger: logger)
    }

    private static func serve(_ listener: NIOAsyncChannel<Connection?, Never>, handler: OperationsConnectionHandler,
                              logger: Logger) async {
        do {
            try await listener.executeThenClose { connections in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await accepted in connections {
                            guard let connection = accepted else { continue }  // refused, already closed
                            group.addTask { await handler.serve(connection) }
                        }
                    } catch {
                        logger.debug("the operations listener stopped", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch {
            logger.debug("the operations listener closed with an error", metadata: ["error": "\(error)"])
        }
    }

    /// Stops accepting, closes idle connections, waits up to the grace period for requests in progress,
    /// then closes what is left and returns once everything is closed. Calling it again just waits.
    public func shutdown() async {
        try? await listener.close()
        for idle in tracker.beginShutdown() {
            idle.close(promise: nil)
        }
        let grace = configuration.shutdownGracePeriod
        let tracker = self.tracker
        let serving = self.serving
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await Task.sleep(for: grace)
                } catch {
                    return  // every connection finished within the grace period
                }
                for connection in tracker.all {
                    connection.close(promise: nil)
                }
            }
            await serving.value
            group.cancelAll()
        }
        logger.info("operations endpoint stopped", metadata: ["address": "\(localAddress)"])
    }
}
