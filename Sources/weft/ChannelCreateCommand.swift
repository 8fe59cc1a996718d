import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftClient
import WeftNode
import WeftCommandLine

/// `weft channel create`: write a channel's genesis block (as Fabric's `configtxgen -outputBlock`).
struct ChannelCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Write a new channel's genesis block from a network's MSP folders.",
        discussion: """
        The channel's organizations are the peer organizations named by --orgs (default: all) and the \
        orderer organization; every orderer of the network is a consenter. Certificates come from the \
        crypto material (MSP folders and the orderers' certificates; no private key is read), the \
        consenters' and anchor peers' addresses from the connection profile: those of a local network \
        (--dir), or any profile and `weft crypto generate --out` folder (--profile, --crypto), e.g. \
        for a cluster. The same inputs give the same block. Join nodes with `weft channel join --block FILE`.

        Examples:
          weft channel create --name ch2 --orgs Org1 --dir ./weft-net --out ch2.block
          weft channel create --name ch2 --profile k8s-profile.yaml --crypto ./crypto --out ch2.block
        """)

    @Option(help: "The channel's name (a–z, 0–9, '.', '-'; starts with a letter).") var name: String
    @Option(help: "Peer organizations, comma-separated (default: all).") var orgs: String?
    @Option(help: "The local network whose crypto material and profile describe the organizations and orderers.") var dir = "./weft-net"
    @Option(help: "A connection profile with the orderers' and peers' addresses (default DIR/profile.yaml).") var profile: String?
    @Option(help: "The crypto material: a `weft crypto generate --out` folder (default DIR/crypto).") var crypto: String?
    @Option(name: .customLong("batch-timeout-ms"), help: "Block cut timeout in milliseconds.") var batchTimeout = 250
    @Option(name: .customLong("election-ticks"), help: "Raft ticks (100 ms) without a leader before an election (Raft's usual 10: 1–2 s).")
    var electionTicks = 10
    @Option(help: "Where to write the block (default NAME.block).") var out: String?

    func validate() throws {
        guard (3...1000).contains(electionTicks) else { throw ValidationError("use --election-ticks 3…1000") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: dir)
        let cryptoFolder = crypto.map { URL(fileURLWithPath: $0) }
            .map { CryptoMaterial.materialDirectory(in: $0) ?? $0 } ?? folder.appendingPathComponent("crypto")
        guard let material = try LocalNetworkSetup.existingMaterial(in: cryptoFolder) else {
            throw CLIFailure(.usage, "\(cryptoFolder.path) holds no crypto material (crypto.json): pass --crypto, the --out folder of weft crypto generate")
        }
        let profilePath = profile ?? folder.appendingPathComponent("profile.yaml").path
        let loaded: ConnectionProfile
        do { loaded = try ConnectionProfile.load(path: profilePath) } catch {
            throw CLIFailure(.usage, "\(error) — pass --dir DIR of a local network, or --profile FILE with the nodes' addresses")
        }
        let config: ChannelConfig
        do {
            try ChannelRefusal.checkName(name)
            config = try LocalNetworkPlan.channelConfig(
                name, organizations: orgs.map { $0.split(separator: ",").map(String.init) }, material: material,
                profile: loaded, batchTimeoutMilliseconds: batchTimeout, electionTicks: electionTicks)
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
