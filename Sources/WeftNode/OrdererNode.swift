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

/// The orderer process: checks broadcast envelopes, orders them with the other orderers by Raft over
/// TCP, cuts and signs blocks, and delivers them. Runs until a graceful shutdown (SIGTERM/SIGINT).
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

    /// The ordering configuration this node's YAML describes.
    func orderingConfiguration() throws -> OrderingConfiguration {
        let configuration = context.configuration
        let channel = configuration.channel
        guard let me = channel.orderers.first(where: { $0.name == configuration.name }) else {
            throw ConfigurationError.invalid(
                path: "channel.orderers", reason: "this node (\(configuration.name)) is not listed; orderers: \(channel.orderers.map(\.name).joined(separator: ", "))")
        }
        let batch = channel.batch ?? .init()
        let defaults = BatchLimits()
        let limits = BatchLimits(
            maxEnvelopeCount: batch.maxTxCount ?? defaults.maxEnvelopeCount,
            preferredMaxBytes: batch.preferredMaxBytes ?? defaults.preferredMaxBytes,
            absoluteMaxBytes: batch.absoluteMaxBytes ?? defaults.absoluteMaxBytes,
            batchTimeout: batch.timeoutMilliseconds.map { .milliseconds($0) } ?? defaults.batchTimeout)
        let writers = Set(channel.peers.map(\.mspID))
        var ordering = OrderingConfiguration(
            nodeID: me.raftID, voters: channel.orderers.map(\.raftID), channelID: channel.id,
            directory: configuration.dataDir, signer: context.identity, batchLimits: limits,
            validator: context.validator,
            writerMSPIDs: writers.isEmpty ? Set(context.validator.membership.organizations.map(\.mspID)) : writers)
        if let tick = channel.raft?.tickMilliseconds { ordering.tickInterval = .milliseconds(max(tick, 10)) }
        if let ticks = channel.raft?.electionTicks { ordering.electionTicks = max(ticks, 3) }
        return ordering
    }

    public func run() async throws {
        let configuration = context.configuration
        NodeOperations.bootstrapMetrics(context)
        try context.prepareDataDirectory()
        let metrics = OrdererMetrics()
        var ordering = try orderingConfiguration()
        ordering.observer = OrdererTracing.observing(metrics.observer)
        let links = OrdererLinks(context: context, selfID: ordering.nodeID, logger: logger)
        let node = try OrderingNode(configuration: ordering, transport: links)
        guard let listen = Endpoint(configuration.listen) else { throw ConfigurationError.invalid(path: "listen", reason: configuration.listen) }
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(host: listen.host, port: listen.port),
            security: context.security, routes: OrdererRoutes.make(node: node, context: context, metrics: metrics, logger: logger),
            authorize: context.authorizer, logger: logger)
        await ready.set(port: server.port)
        logger.info("orderer \(configuration.name) (Raft \(ordering.nodeID)) serving channel \(configuration.channel.id) on \(listen.host):\(server.port), height \(node.blockStore.tip.height)")

        let operations = try await NodeOperations.start(context, checks: [
            ("raft", {
                let status = await node.status()
                guard !status.isStopped else { throw HealthCheckFailure("the ordering node stopped") }
                guard status.leader != nil else { throw HealthCheckFailure("no Raft leader known (term \(status.term))") }
            }),
        ], logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await metrics.sample(node, connectedOrderers: { await links.connectedCount() }) }
            group.addTask {
                do {
                    try await node.run()
                } catch {
                    self.logger.error("ordering stopped: \(error)")
                }
            }
            group.addTask { await links.run() }
            group.addTask { await self.context.certificateReloader(logger: self.logger).run() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("orderer \(configuration.name) shutting down")
        await server.shutdown()
        await node.stop()
        await operations?.shutdown()
    }
}
