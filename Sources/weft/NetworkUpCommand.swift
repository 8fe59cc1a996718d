import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftClient
import WeftCore
import WeftNode
import WeftCommandLine

/// `weft network up`: generate (or reuse) a local network and start every node in the background.
struct NetworkUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start a local network: orderers and peers as background processes on loopback ports.",
        discussion: """
        The first time, generates crypto material and one configuration per node in --dir; later runs
        start whichever nodes of that network are not running (after `down`, or after a node was killed),
        with their data. Waits until the network has committed a transaction,
        then prints the endpoints and commands to try. Progress goes to stderr.

        Example:
          weft network up --orgs 2 --peers 1 --orderers 3 --dir ./weft-net
        """
    )

    @OptionGroup var directory: NetworkDirectoryOption

    @Option(help: "Peer organizations (first run only).") var orgs = 2
    @Option(help: "Peers per organization (first run only).") var peers = 1
    @Option(help: "Orderers (first run only).") var orderers = 3
    @Option(name: .customLong("batch-timeout-ms"), help: "Block cut timeout in milliseconds (first run only).") var batchTimeout = 250
    @Option(help: "Seconds to wait for the network to commit its first transaction.") var timeout = 60
    @OptionGroup var channelLayout: ChannelLayoutOptions

    func validate() throws {
        guard (1...20).contains(orgs), (1...10).contains(peers), (1...9).contains(orderers), batchTimeout >= 1 else {
            throw ValidationError("use --orgs 1…20, --peers 1…10, --orderers 1…9 and a positive --batch-timeout-ms")
        }
    }

    func run() async throws {
        let folder = directory.url
        var state = try (try? LocalNetworkState.load(from: folder)) ?? create(in: folder)
        let stopped = state.nodes.indices.filter { !(state.nodes[$0].pid.map(ProcessLauncher.isAlive) ?? false) }
        guard !stopped.isEmpty else {
            throw CLIFailure(.usage, "the network in \(directory.dir) is already running; see `weft network status --dir \(directory.dir)` or stop it with `weft network down --dir \(directory.dir)`")
        }
        let executable = ProcessLauncher.executablePath
        for index in stopped {
            let node = state.nodes[index]
            progress("starting \(node.role.rawValue) \(node.name)")
            state.nodes[index].pid = try ProcessLauncher.spawn(
                executable, [node.role.rawValue, "start", "--config", folder.appendingPathComponent(node.config).path],
                log: folder.appendingPathComponent(node.log).path)
        }
        try state.save(to: folder)
        try await NetworkReadiness(folder: folder, state: state, timeout: .seconds(timeout), progress: progress).wait()
        try printSummary(state)
    }

    /// Generates crypto material (unless DIR/crypto holds some) and node configurations for a new network.
    private func create(in folder: URL) throws -> LocalNetworkState {
        let setup = LocalNetworkSetup(orgs: orgs, peers: peers, orderers: orderers, batchTimeoutMilliseconds: batchTimeout,
                                      channels: try channelLayout.specs())
        return try setup.create(in: folder, ports: ProcessLauncher.freePort, progress: progress)
    }

    private func printSummary(_ state: LocalNetworkState) throws {
        let profile = try ConnectionProfile.load(path: directory.url.appendingPathComponent("profile.yaml").path)
        print("network up in \(directory.dir): channel \(profile.channel)")
        for orderer in profile.orderers { print("  orderer \(orderer.name)  \(orderer.address)") }
        for peer in profile.peers { print("  peer    \(peer.name)  \(peer.address)  (\(peer.mspID))") }
        let weft = "weft"
        print("""

        Try:
          \(weft) tx submit --dir \(directory.dir) --chaincode asset-transfer --function CreateAsset --args asset100 blue 5 alice 300
          \(weft) tx submit --dir \(directory.dir) --chaincode asset-transfer --function TransferAsset --args asset100 bob
          \(weft) tx evaluate --dir \(directory.dir) --chaincode asset-transfer --function ReadAsset --args asset100
          \(weft) query history asset100 --dir \(directory.dir)
          \(weft) network status --dir \(directory.dir)
          \(weft) network down --dir \(directory.dir)
        Logs: \(directory.dir)/logs/
        """)
    }

    private func progress(_ line: String) { DescriptorOutput.standardError(line + "\n") }
}
