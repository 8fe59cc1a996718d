import Committer
import Endorser
import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import Logging
import Operations
import ServiceLifecycle
import WeftCore
import WeftRPC
import Wire

/// The peer process: endorses proposals, pulls blocks from the orderers, validates and commits them,
/// answers ledger queries and streams commit events. Runs until a graceful shutdown (SIGTERM/SIGINT).
public final class PeerNode: Service, Sendable {
    public let context: NodeContext
    private let logger: Logger
    private let ready: ReadySignal

    public init(context: NodeContext, logger: Logger = Logger(label: "weft.peer")) {
        self.context = context
        self.logger = logger
        ready = ReadySignal()
    }

    /// The port the peer listens on, once it does.
    public func listeningPort() async -> Int { await ready.port() }

    public func run() async throws {
        let configuration = context.configuration
        NodeOperations.bootstrapMetrics(context)
        try context.prepareDataDirectory()
        let metrics = PeerMetrics()
        let node = context
        let logger = logger
        let channels = ChannelRegistry<PeerChannel>(node: context, logger: logger) { channel in
            try PeerChannel(channel: channel, node: node, metrics: metrics, logger: logger)
        }
        try channels.openJoined()
        let maintenance = LedgerMaintenance(node: context, logger: logger)

        guard let listen = Endpoint(configuration.listen) else { throw ConfigurationError.invalid(path: "listen", reason: configuration.listen) }
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(host: listen.host, port: listen.port),
            security: context.security,
            routes: PeerRoutes.make(channels: channels, metrics: metrics, maintenance: maintenance, logger: logger),
            authorize: context.authorizer, logger: logger)
        await ready.set(port: server.port)
        let names = channels.all.map(\.channel.name)
        logger.info("peer \(configuration.name) serving \(names.isEmpty ? "no channel yet (join one with weft channel join)" : "channels " + names.joined(separator: ", ")) on \(listen.host):\(server.port)")

        let operations = try await NodeOperations.start(context, checks: [
            ("orderer", {
                for channel in channels.all where !channel.puller.connected.isSet {
                    throw HealthCheckFailure("not connected to any orderer of \(channel.channel.name)")
                }
            }),
            ("committer", {
                for channel in channels.all {
                    let health = await channel.committer.health
                    guard health.isHealthy else { throw HealthCheckFailure("\(channel.channel.name): \(health)") }
                }
            }),
        ], logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.context.certificateReloader(logger: self.logger).run() }
            group.addTask { await maintenance.runRetention(channels: { channels.all }) }
            group.addTask {
                await metrics.sample(
                    ledgerPaths: { channels.all.map { node.ledgerPath(channel: $0.channel.name) } },
                    connected: { channels.all.allSatisfy { $0.puller.connected.isSet } },
                    heights: { channels.all.map { ($0.channel.name, $0.ledger.chainInfo.height) } })
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("peer \(configuration.name) shutting down")
        await server.shutdown()
        await channels.closeAll()
        await operations?.shutdown()
    }
}

extension PeerChannel: ChannelService {}

/// Hands the bound port from `run()` to whoever waits for it (tests, `weft network up`).
actor ReadySignal {
    private var boundPort: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    func set(port: Int) {
        boundPort = port
        for waiter in waiters { waiter.resume(returning: port) }
        waiters = []
    }

    func port() async -> Int {
        if let boundPort { return boundPort }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
