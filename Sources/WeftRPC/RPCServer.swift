import Logging
import NIOCore
import NIOPosix
import Wire

/// A TCP server for Weft's protocol: accepts connections, authenticates each with the mutual MSP
/// handshake, and dispatches calls by message type to the handlers of its `RPCRoutes`.
///
/// Lifecycle: `start` binds and returns once the server accepts connections; `shutdown` stops
/// accepting, refuses new calls, ends streams, lets in-flight unary calls finish within a grace
/// period, then closes every connection. Handlers run in Swift concurrency tasks, never on the
/// event loops. Bad input on one connection (garbage, oversized or truncated frames, calls before
/// the handshake) closes that connection with a log line and never affects the others.
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
    ///   - credentials: the identity and key the server proves itself with.
    ///   - routes: the handlers, by message type.
    ///   - authorize: decides which authenticated identities may connect, and with which role.
    ///   - group: the event loops; the shared singleton by default (it never needs shutting down).
    /// - Throws: `RPCError.unavailable` naming the address when it cannot be bound.
    public static func start(
        configuration: RPCServerConfiguration = RPCServerConfiguration(),
        credentials: RPCCredentials,
        routes: RPCRoutes,
        authorize: @escaping Authorizer,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "weft.rpc.server")
    ) async throws(RPCError) -> RPCServer {
        let environment = ConnectionEnvironment(
            routes: routes, credentials: credentials, authorize: authorize, configuration: configuration, logger: logger
        )
        let maximum = configuration.maximumFrameLength
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 << 10, high: 1 << 20))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard environment.register(channel) else {
                        throw RPCError(.unavailable, "the server is shutting down")
                    }
                    channel.closeFuture.whenComplete { _ in environment.unregister(channel) }
                    let remote = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: maximum)),
                        MessageToByteHandler(FrameEncoder(maximumFrameLength: maximum)),
                        ServerConnectionHandler(environment: environment, remote: remote)
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
