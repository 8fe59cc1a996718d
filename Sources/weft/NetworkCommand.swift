import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftNode
import WeftCommandLine

/// `weft network up|down|status`: a local multi-node network on loopback.
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Run a local network of orderers and peers as background processes on loopback.",
        subcommands: [NetworkUpCommand.self, NetworkInitCommand.self, NetworkAddOrgCommand.self, NetworkAddOrdererCommand.self,
                      NetworkRemoveOrdererCommand.self, NetworkStatusCommand.self, NetworkTopCommand.self,
                      NetworkDownCommand.self]
    )
}

/// The `--dir` of the network commands.
struct NetworkDirectoryOption: ParsableArguments {
    @Option(help: "The network's folder (crypto material, node configs, data, logs).")
    var dir = "./weft-net"

    var url: URL { URL(fileURLWithPath: dir).standardizedFileURL }

    /// The recorded nodes, or a usage error when the folder holds no network.
    func state() throws -> LocalNetworkState {
        do {
            return try LocalNetworkState.load(from: url)
        } catch {
            throw CLIFailure(.usage, "\(dir) holds no network (no network.json); start one with: weft network up --dir \(dir)")
        }
    }
}
