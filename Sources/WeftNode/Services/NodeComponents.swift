import Logging
import ServiceLifecycle
import WeftProtocol
import WeftRPC

/// The parts every node runs in this order — its operations endpoint, its channels, its RPC server
/// (which logs the channels it serves once it listens), the TLS certificate watch — followed by the
/// node's own background jobs. The group stops them in reverse order. `name` (`peer peer0.org1`) heads
/// the node's log lines.
enum NodeComponents {
    static func make<Channel: ChannelService>(
        name: String, node: NodeContext, listen: Endpoint, operations: some Service & CustomStringConvertible, channels: ChannelRegistry<Channel>,
        failures: ChannelFailures, routes: RPCRoutes, ready: ReadySignal, logger: Logger,
        jobs: [ServiceGroupConfiguration.ServiceConfiguration] = []
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let server = RPCServerService(
            configuration: RPCServerConfiguration(host: listen.host, port: listen.port), security: node.security,
            routes: routes, authorize: node.authorizer, ready: ready,
            announce: { port in
                let names = channels.all.map(\.channel.name)
                logger.info("\(name) serving \(names.isEmpty ? "no channel yet (join one with weft channel join)" : "channels " + names.joined(separator: ", ")) on \(listen.host):\(port)")
            },
            announceShutdown: { logger.info("\(name) shutting down") },
            logger: logger)
        return [
            .component(operations),
            .component(ChannelSupervisor(closeChannels: { await channels.closeAll() }, failures: failures, nodeName: name, logger: logger)),
            .component(server),
            .component(BackgroundJob("the TLS certificate watch") { await node.certificateReloader(logger: logger).run() }),
        ] + jobs
    }
}
