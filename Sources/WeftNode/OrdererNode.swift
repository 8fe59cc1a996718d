#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Logging
import Operations
import Orderer
import Raft
import ServiceLifecycle
import WeftCore
import WeftRPC
import Wire

/// The orderer process: for each channel it has joined, checks broadcast envelopes, orders them with
/// the channel's other consenters by Raft over TCP, cuts and signs blocks, and delivers them. Runs
/// until a graceful shutdown (SIGTERM/SIGINT).
public final class OrdererNode: Service, Sendable {
    public let context: NodeContext
    private let logger: Logger
    private let ready = ReadySignal()

    public init(context: NodeContext, logger: Logger = Logger(label: "weft.orderer")) {
        self.context = context
        self.logger = logger
    }

    /// The port the orderer listens on, once it does.
    public func listeningPort() async -> Int { await ready.port() }

    public func run() async throws {
        let configuration = context.configuration
        NodeOperations.bootstrapMetrics(context)
        try context.prepareDataDirectory()
        let connections = OrdererConnections(node: context, logger: logger)
        let node = context
        let logger = logger
        let channels = ChannelRegistry<OrdererChannel>(node: context, logger: logger) { channel in
            try OrdererChannel(channel: channel, node: node, connections: connections, logger: logger)
        }
        try channels.openJoined()
        guard let listen = Endpoint(configuration.listen) else { throw ConfigurationError.invalid(path: "listen", reason: configuration.listen) }
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(host: listen.host, port: listen.port),
            security: context.security, routes: OrdererRoutes.make(channels: channels, logger: logger),
            authorize: context.authorizer, logger: logger)
        await ready.set(port: server.port)
        let names = channels.all.map(\.channel.name)
        logger.info("orderer \(configuration.name) serving \(names.isEmpty ? "no channel yet (join one with weft channel join)" : "channels " + names.joined(separator: ", ")) on \(listen.host):\(server.port)")

        let operations = try await NodeOperations.start(context, checks: [
            ("raft", {
                for channel in channels.all {
                    let status = await channel.node.status()
                    guard !status.isStopped else { throw HealthCheckFailure("\(channel.channel.name): the ordering node stopped") }
                    guard status.leader != nil else { throw HealthCheckFailure("\(channel.channel.name): no Raft leader known (term \(status.term))") }
                }
            }),
        ], logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.context.certificateReloader(logger: self.logger).run() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("orderer \(configuration.name) shutting down")
        await server.shutdown()
        await channels.closeAll()
        await operations?.shutdown()
    }
}
