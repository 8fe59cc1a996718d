import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Operations
import WeftNode
import WeftCommandLine

/// The options `weft peer start` and `weft orderer start` share: the node YAML and the settings a flag
/// may override (each also readable from `WEFT_<NAME>`).
struct NodeStartOptions: ParsableArguments {
    @Option(help: "The node's YAML configuration (or set WEFT_CONFIG).")
    var config: String?

    @Option(help: "Override the listen address host:port (WEFT_LISTEN).")
    var listen: String?

    @Option(help: "Override the operations address host:port (WEFT_OPERATIONS).")
    var operations: String?

    @Option(name: .customLong("data-dir"), help: "Override the data folder (WEFT_DATA_DIR).")
    var dataDir: String?

    @Option(name: .customLong("log-level"), help: "Override the log level: trace, debug, info, notice, warning, error (WEFT_LOG_LEVEL).")
    var logLevel: String?

    /// Loads the configuration and checks it is for `role`.
    func load(role: NodeConfiguration.Role) throws -> NodeConfiguration {
        guard let path = config ?? ProcessInfo.processInfo.environment["WEFT_CONFIG"] else {
            throw CLIFailure(.usage, "weft \(role.rawValue) start needs --config node.yaml (or WEFT_CONFIG); `weft network up` writes one per node")
        }
        var overrides: [NodeConfiguration.Override: String] = [:]
        overrides[.listen] = listen
        overrides[.operations] = operations
        overrides[.dataDir] = dataDir
        overrides[.logLevel] = logLevel
        let configuration: NodeConfiguration
        do {
            configuration = try NodeConfiguration.load(path: path, overrides: overrides)
        } catch {
            throw CLIFailure(.usage, "\(error)")
        }
        guard configuration.role == role else {
            throw CLIFailure(.usage, "\(path) configures a \(configuration.role.rawValue); start it with `weft \(configuration.role.rawValue) start --config \(path)`")
        }
        return configuration
    }
}

/// Sends log lines to stderr at the configured level (a Fabric-style spec such as `info` or
/// `weft.raft=debug:info`), changeable at runtime through the operations endpoint's `/logspec`.
enum NodeLogging {
    static func bootstrap(level: String?) throws {
        let spec: LogSpec
        do {
            spec = try LogSpec(parsing: level ?? "info")
        } catch {
            throw CLIFailure(.usage, "logLevel \"\(level ?? "")\": \(error)")
        }
        WeftLogging.bootstrap(spec: spec)
    }
}
