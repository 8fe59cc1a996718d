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
import WeftProtocol
import WeftRPC
import Wire

/// The orderer process: for each channel it has joined, checks broadcast envelopes, orders them with
/// the channel's other consenters by Raft over TCP, cuts and signs blocks, and delivers them. Its parts
/// are services of the process's `ServiceGroup` (`services()`): it runs until a graceful shutdown
/// (SIGTERM/SIGINT), or until a part fails — a channel's ordering node that stops on an error stops
/// the whole process (docs/operations.md, "When a component fails").
public final class OrdererNode: Sendable {
    public let context: NodeContext
    private let logger: Logger
    private let ready = ReadySignal()

    public init(context: NodeContext, logger: Logger = Logger(label: "weft.orderer")) {
        self.context = context
        self.logger = logger
    }

    /// The port the orderer listens on, once it does.
    public func listeningPort() async -> Int { await ready.port() }

    /// Prepares the data folder and opens the joined channels (their ordering nodes start here), then
    /// returns the orderer's parts in start order, for one `ServiceGroup`: the operations endpoint, the
    /// channels (`ChannelSupervisor`), the RPC server and the TLS certificate watch. The group stops
    /// them in reverse order, so the RPC server drains before the ordering nodes stop and `/healthz`
    /// answers until the end. Throws when the node cannot start.
    public func services() throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let configuration = context.configuration
        NodeOperations.bootstrapMetrics(context)
        try context.prepareDataDirectory()
        guard let listen = Endpoint(configuration.listen) else { throw ConfigurationError.invalid(path: "listen", reason: configuration.listen) }
        let connections = NodeConnections(node: context, logger: logger)
        let node = context
        let logger = logger
        let failures = ChannelFailures()
        let channels = ChannelRegistry<OrdererChannel>(node: context, logger: logger, prepare: { channel in
            try await OrdererOnboarding.prepare(genesis: channel, node: node, connections: connections, logger: logger)
        }) { channel in
            try OrdererChannel(channel: channel, node: node, connections: connections, failures: failures, logger: logger)
        }
        try channels.openJoined()
        let name = "orderer \(configuration.name)"

        let operations = OperationsService(context: context, checks: [
            ("raft", {
                for channel in channels.all {
                    let status = await channel.node.status()
                    guard !status.isStopped else { throw HealthCheckFailure("\(channel.channel.name): the ordering node stopped") }
                    guard status.leader != nil else { throw HealthCheckFailure("\(channel.channel.name): no Raft leader known (term \(status.term))") }
                }
            }),
            ("channels", {
                if let failure = failures.first { throw HealthCheckFailure("\(failure)") }
            }),
        ], logger: logger)
        return NodeComponents.make(
            name: name, node: context, listen: listen, operations: operations, channels: channels, failures: failures,
            routes: OrdererRoutes.make(channels: channels, logger: logger), ready: ready, logger: logger)
    }
}
