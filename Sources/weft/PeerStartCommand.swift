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

/// `weft peer start --config node.yaml`: runs a peer until SIGTERM or SIGINT.
struct PeerStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a peer in the foreground (stops gracefully on SIGTERM/SIGINT).",
        discussion: """
        Example:
          weft peer start --config ./weft-net/nodes/peer0.org1/node.yaml
          WEFT_LISTEN=0.0.0.0:7051 weft peer start --config node.yaml
        """
    )

    @OptionGroup var options: NodeStartOptions

    func run() async throws {
        let configuration = try options.load(role: .peer)
        try NodeLogging.bootstrap(level: configuration.logLevel)
        let logger = Logger(label: "weft.peer")
        let context: NodeContext
        do {
            context = try NodeContext(configuration: configuration)
        } catch {
            throw CLIFailure(.other, "peer \(configuration.name) cannot start: \(error)")
        }
        let tracing = try ProcessTracing.nodeServices(name: configuration.name, role: "peer", logger: logger)
        let node: [ServiceGroupConfiguration.ServiceConfiguration]
        do {
            node = try PeerNode(context: context, logger: logger).services()
        } catch {
            throw CLIFailure(.other, "peer \(configuration.name) cannot start: \(error)")
        }
        // One group for the whole process: a part that fails shuts the others down gracefully and
        // `run()` throws its error, so the process exits with status 4 (docs/operations.md).
        let group = ServiceGroup(configuration: .init(
            services: tracing + node, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            throw CLIFailure(.other, "peer \(configuration.name) stopped: \(error)")
        }
    }
}
