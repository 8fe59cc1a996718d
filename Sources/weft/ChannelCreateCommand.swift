import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftClient
import WeftNode

/// `weft channel create`: write a channel's genesis block (as Fabric's `configtxgen -outputBlock`).
struct ChannelCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Write a new channel's genesis block from a network's MSP folders.",
        discussion: """
        The channel's organizations are the peer organizations named by --orgs (default: all) and the \
        orderer organization; every orderer of the network is a consenter. Join nodes with \
        `weft channel join --block FILE`.

        Example:
          weft channel create --name ch2 --orgs Org1 --dir ./weft-net --out ch2.block
        """)

    @Option(help: "The channel's name (a–z, 0–9, '.', '-'; starts with a letter).") var name: String
    @Option(help: "Peer organizations, comma-separated (default: all).") var orgs: String?
    @Option(help: "The local network whose crypto material and profile describe the organizations and orderers.") var dir = "./weft-net"
    @Option(name: .customLong("batch-timeout-ms"), help: "Block cut timeout in milliseconds.") var batchTimeout = 250
    @Option(help: "Where to write the block (default NAME.block).") var out: String?

    func run() throws {
        let folder = URL(fileURLWithPath: dir)
        guard let material = try LocalNetworkSetup.existingMaterial(in: folder.appendingPathComponent("crypto")) else {
            throw CLIFailure(.usage, "\(dir) holds no crypto material (crypto/crypto.json)")
        }
        let profile = try ConnectionProfile.load(path: folder.appendingPathComponent("profile.yaml").path)
        let config: ChannelConfig
        do {
            try ChannelRefusal.checkName(name)
            config = try LocalNetworkPlan.channelConfig(
                name, organizations: orgs.map { $0.split(separator: ",").map(String.init) }, material: material,
                profile: profile, batchTimeoutMilliseconds: batchTimeout)
        } catch {
            throw CLIFailure(.usage, "\(error)")
        }
        let block = try GenesisBlock.make(config: config)
        let checked = try GenesisBlock.check(block)
        let path = out ?? "\(name).block"
        try Data(block.canonicalBytes).write(to: URL(fileURLWithPath: path))
        print("wrote \(path): channel \(name), \(config.organizations.count) organizations, \(config.consenters.count) consenters, genesis \(checked.hashHex)")
    }
}
