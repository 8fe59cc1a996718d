import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceLifecycle
import WeftNode
import WeftCommandLine

/// `weft orderer start --config node.yaml`: runs an orderer until SIGTERM or SIGINT.
struct OrdererStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start an orderer in the foreground (stops gracefully on SIGTERM/SIGINT).",
        discussion: """
        Example:
          weft orderer start --config ./weft-net/nodes/orderer0.orderer/node.yaml
        """
    )

    @OptionGroup var options: NodeStartOptions

    func run() async throws {
        let configuration = try options.load(role: .orderer)
        try NodeLogging.bootstrap(level: configuration.logLevel)
        let logger = Logger(label: "weft.orderer")
        let context: NodeContext
        do {
            context = try NodeContext(configuration: configuration)
        } catch {
            throw CLIFailure(.other, "orderer \(configuration.name) cannot start: \(error)")
        }
        let tracing = try ProcessTracing.nodeServices(name: configuration.name, role: "orderer", logger: logger)
        let node: [ServiceGroupConfiguration.ServiceConfiguration]
        do {
            node = try OrdererNode(context: context, logger: logger).services()
        } catch {
            throw CLIFailure(.other, "orderer \(configuration.name) cannot start: \(error)")
        }
        // One group for the whole process: a part that fails shuts the others down gracefully and
        // `run()` throws its error, so the process exits with status 4 (docs/operations.md).
        let group = ServiceGroup(configuration: .init(
            services: tracing + node, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            throw CLIFailure(.other, "orderer \(configuration.name) stopped: \(error)")
        }
    }
}
