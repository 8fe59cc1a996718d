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
/// answers ledger queries and streams commit events. Its parts are services of the process's
/// `ServiceGroup` (`services()`): it runs until a graceful shutdown (SIGTERM/SIGINT), or until a part
/// fails — then the whole process stops (docs/operations.md, "When a component fails").
public final class PeerNode: Sendable {
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

    /// Prepares the data folder and opens the joined channels (their ledgers, committers and block
    /// pullers start here), then returns the peer's parts in start order, for one `ServiceGroup`: the
    /// operations endpoint, the channels (`ChannelSupervisor`), the RPC server, and the background
    /// jobs. The group stops them in reverse order, so the RPC server drains before the ledgers close
    /// and `/healthz` answers until the end. Throws when the node cannot start.
    public func services() throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let configuration = context.configuration
        NodeOperations.bootstrapMetrics(context)
        try context.prepareDataDirectory()
        context.limitLedgerMemory()
        guard let listen = Endpoint(configuration.listen) else { throw ConfigurationError.invalid(path: "listen", reason: configuration.listen) }
        let metrics = PeerMetrics()
        let node = context
        let logger = logger
        let failures = ChannelFailures()
        let channels = ChannelRegistry<PeerChannel>(node: context, logger: logger) { channel in
            try PeerChannel(channel: channel, node: node, metrics: metrics, failures: failures, logger: logger)
        }
        try channels.openJoined()
        let maintenance = LedgerMaintenance(node: context, logger: logger)
        let name = "peer \(configuration.name)"

        let operations = OperationsService(context: context, checks: [
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
            ("channels", {
                if let failure = failures.first { throw HealthCheckFailure("\(failure)") }
            }),
        ], logger: logger)
        return NodeComponents.make(
            name: name, node: context, listen: listen, operations: operations, channels: channels, failures: failures,
            routes: PeerRoutes.make(
                channels: channels, metrics: metrics, maintenance: maintenance,
                gateway: PeerGateway(connections: NodeConnections(node: context, logger: logger)), logger: logger),
            ready: ready, logger: logger,
            jobs: [
                .component(BackgroundJob("ledger retention") { await maintenance.runRetention(channels: { channels.all }) }),
                .component(BackgroundJob("metrics sampling") {
                    await metrics.sample(
                        ledgerPaths: { channels.all.map { node.ledgerPath(channel: $0.channel.name) } },
                        connected: { channels.all.allSatisfy { $0.puller.connected.isSet } },
                        heights: { channels.all.map { ($0.channel.name, $0.ledger.chainInfo.height) } })
                }),
            ])
    }
}

extension PeerChannel: ChannelService {}

/// Hands the bound port from the RPC server's service to whoever waits for it (tests, `weft network up`).
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
