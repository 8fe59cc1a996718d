import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Wire

/// A TCP server for Weft's protocol: accepts connections, authenticates each with mutual TLS (the
/// client's TLS certificate, checked by the `Authorizer`, gives the `Caller`), and dispatches calls by
/// message type to the handlers of its `RPCRoutes`.
///
/// Lifecycle: `start` binds and returns once the server accepts connections; `shutdown` stops
/// accepting, refuses new calls, ends streams, lets in-flight unary calls finish within a grace
/// period, then closes every connection. Handlers run in Swift concurrency tasks, never on the
/// event loops. Bad input on one connection (a plaintext client, no or a refused certificate,
/// garbage, oversized or truncated frames) closes that connection with a log line naming the remote
/// address and the reason, and never affects the others.
public final class RPCServer: Sendable {
    /// The address the server is bound to.
    public let host: String
    /// The bound port (the actual port when 0 was requested).
    public let port: Int
    private let serverChannel: Channel
    let environment: ConnectionEnvironment
    private let logger: Logger

    private init(host: String, port: Int, serverChannel: Channel, environment: ConnectionEnvironment, logger: Logger) {
        self.host = host
        self.port = port
        self.serverChannel = serverChannel
        self.environment = environment
        self.logger = logger
    }

    /// Binds `configuration.host:configuration.port` and starts accepting connections.
    ///
    /// - Parameters:
    ///   - security: the server's TLS certificate and key (replaceable for rotation) and versions.
    ///   - routes: the handlers, by message type.
    ///   - authorize: decides which client certificates may connect, as which organization and role.
    ///   - group: the event loops; the shared singleton by default (it never needs shutting down).
    /// - Throws: `RPCError.unavailable` naming the address when it cannot be bound.
    public static func start(
        configuration: RPCServerConfiguration = RPCServerConfiguration(),
        security: RPCTransportSecurity,
        routes: RPCRoutes,
        authorize: @escaping Authorizer,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "weft.rpc.server")
    ) async throws(RPCError) -> RPCServer {
        let environment = ConnectionEnvironment(
            routes: routes, security: security, authorize: authorize, configuration: configuration, logger: logger
        )
        let maximum = configuration.maximumFrameLength
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childrenDetectingDeadLinks()
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 << 10, high: 1 << 20))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let remote = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
                    let address = channel.remoteAddress?.ipAddress ?? "unknown"
                    switch environment.register(channel, address: address) {
                    case .admitted(let evicted):
                        if let evicted {
                            environment.metrics.handshakeFailed(.evicted)
                            environment.admissionLog.refused(
                                "closing the oldest unauthenticated connection from \(address): it has \(configuration.maximumHandshakesPerAddress) in their TLS handshake")
                            evicted.close(promise: nil)
                        }
                    case .draining:
                        environment.metrics.handshakeFailed(.draining)
                        throw RPCError(.unavailable, "the server is shutting down")
                    case .serverFull(let maximum):
                        environment.metrics.handshakeFailed(.serverFull)
                        environment.admissionLog.refused("refusing connection from \(remote): the server holds its maximum of \(maximum) connections")
                        throw RPCError(.resourceExhausted, "too many connections")
                    }
                    channel.closeFuture.whenComplete { _ in environment.unregister(channel) }
                    let handler = ServerConnectionHandler(environment: environment, remote: remote)
                    let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
                    let tls = NIOSSLServerHandler(context: environment.security.serverContext) { chain, promise in
                        bound.value.verifyClient(chain, promise: promise)
                    }
                    try channel.pipeline.syncOperations.addHandlers(
                        tls,
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: maximum)),
                        MessageToByteHandler(FrameEncoder(maximumFrameLength: maximum)),
                        handler
                    )
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RPCError(.unavailable, "could not listen on \(configuration.host):\(configuration.port): \(error)")
        }
        let port = channel.localAddress?.port ?? configuration.port
        var serverLogger = logger
        serverLogger[metadataKey: "listen"] = "\(configuration.host):\(port)"
        serverLogger.info("listening")
        return RPCServer(host: configuration.host, port: port, serverChannel: channel, environment: environment, logger: serverLogger)
    }

    /// The server's TLS settings; `security.replace(_:)` rotates its certificate for new connections.
    public var security: RPCTransportSecurity { environment.security }

    /// How many connections are open (authenticated or still in their handshake).
    public var connectionCount: Int { environment.openChannels.count }

    /// Stops the server gracefully: no new connections or calls, streams end with `.unavailable`,
    /// in-flight unary calls may finish for up to `gracePeriod`, then every connection is closed.
    /// Safe to call more than once.
    public func shutdown(gracePeriod: TimeAmount = .seconds(10)) async {
        try? await serverChannel.close()
        let channels = environment.beginDraining()
        logger.info("shutting down: draining \(channels.count) connections")
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ServerDrainEvent())
        }
        let environment = self.environment
        let deadline = serverChannel.eventLoop.scheduleTask(in: gracePeriod) {
            for channel in environment.openChannels { channel.close(promise: nil) }
        }
        for channel in channels { try? await channel.closeFuture.get() }
        deadline.cancel()
        logger.info("stopped")
    }

    /// Returns when the listening socket has closed (after `shutdown`).
    public func waitUntilClosed() async {
        try? await serverChannel.closeFuture.get()
    }
}

/// Tells a connection handler that the server is shutting down.
struct ServerDrainEvent: Sendable {}
