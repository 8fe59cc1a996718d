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

/// `weft network add-org`: add an organization to a running local network, as an operator would by hand
/// (docs/governance.md, "Adding an organization").
struct NetworkAddOrgCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-org",
        abstract: "Add an organization to a running local network: its crypto material, a signed configuration update, its peers.",
        discussion: """
        Generates the organization's CA, TLS CA, peers, admin and user in DIR/crypto; creates the update \
        that adds it to the channel; has every existing organization's admin sign it; submits it and waits \
        until it is in force; then starts the new peers, joined to the channel, and waits until they reach \
        the channel's height. On separate hosts the same steps run one by one (docs/governance.md).

        Example:
          weft network add-org --dir ./weft-net --name Org3 --peers 1 --channel mychannel
        """)

    @OptionGroup var directory: NetworkDirectoryOption
    @Option(help: "The organization's name (its MSP id is NAMEMSP, its hosts peer0.name…).") var name: String
    @Option(help: "Its peers.") var peers = 1
    @Option(help: "The channel to add it to (default: the network's first channel).") var channel: String?
    @Option(help: "Seconds to wait for the update and the new peers.") var timeout = 60
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func validate() throws {
        guard (1...10).contains(peers) else { throw ValidationError("use --peers 1…10") }
        guard name.first?.isLetter == true, name.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw ValidationError("--name must be letters and digits, starting with a letter (e.g. Org3)")
        }
    }

    func run() async throws {
        let folder = directory.url
        var (state, profilePath, _, changes) = try LocalNetworkUpdate.open(directory, channel: channel, timeout: timeout)
        var written = try ConnectionProfile.loadAsWritten(path: profilePath)
        let channel = changes.channel
        let genesis = try changes.genesisBlock()
        let organization = try LocalOrganizationMaterial.generate(name: name, peers: peers, in: folder.appendingPathComponent("crypto"))
        progress("generated \(organization.mspID)'s crypto material in \(directory.dir)/\(LocalOrganizationMaterial.cryptoPath(organization))")

        var nodes: [(configuration: NodeConfiguration, address: String)] = []
        for identity in organization.identities where identity.role == .peer {
            let address = "127.0.0.1:\(try ProcessLauncher.freePort())"
            let node = NodeConfiguration(
                role: .peer, name: identity.name, mspID: organization.mspID, identity: "../../crypto/\(identity.path)",
                listen: address, operations: "127.0.0.1:\(try ProcessLauncher.freePort())", operationsTLS: true,
                dataDir: "data", logLevel: "info")
            nodes.append((node, address))
        }
        let anchor = nodes.first.map { [ChannelConfig.AnchorPeer(name: $0.configuration.name, address: $0.address)] } ?? []
        let definition = try ChannelConfigBuilder.organization(
            mspFolder: folder.appendingPathComponent("crypto").appendingPathComponent(organization.mspPath), isOrderer: false, anchorPeers: anchor)
        let configBlock = try await changes.submit([.addOrganization(definition)], label: "add-\(organization.name.lowercased())", progress: progress)
        progress("\(organization.mspID) is a member of \(channel) from block \(configBlock + 1)")

        written.organizations.append("crypto/" + organization.mspPath)
        for (node, address) in nodes {
            let nodeFolder = folder.appendingPathComponent(LocalNetworkPlan.nodeFolder(node.name))
            try FileManager.default.createDirectory(at: nodeFolder, withIntermediateDirectories: true)
            try node.yaml().write(to: nodeFolder.appendingPathComponent("node.yaml"), atomically: true, encoding: .utf8)
            try ChannelFolder.writeGenesis([UInt8](genesis), in: nodeFolder.appendingPathComponent("data/channels/\(channel)"))
            var listed = ConnectionProfile.Peer(name: node.name, address: address, mspID: organization.mspID)
            listed.operations = node.operations
            written.peers.append(listed)
            state.nodes.append(.init(name: node.name, role: .peer, config: LocalNetworkPlan.nodeFolder(node.name) + "/node.yaml",
                                     log: "logs/\(node.name).log"))
        }
        written.channelOrganizations?[channel, default: []].append(organization.mspID)
        try written.yaml().write(toFile: profilePath, atomically: true, encoding: .utf8)

        for index in state.nodes.indices where nodes.contains(where: { $0.configuration.name == state.nodes[index].name }) {
            let node = state.nodes[index]
            progress("starting peer \(node.name)")
            state.nodes[index].pid = try ProcessLauncher.spawn(
                ProcessLauncher.executablePath, ["peer", "start", "--config", folder.appendingPathComponent(node.config).path],
                log: folder.appendingPathComponent(node.log).path)
        }
        try state.save(to: folder)
        let height = try await waitForCatchUp(nodes.map(\.configuration.name), channel: channel, profile: try ConnectionProfile.load(path: profilePath),
                                              target: configBlock + 1)
        if json {
            try JSONOutput.print(["organization": JSONValue.string(organization.mspID), "channel": .string(channel),
                                  "configBlock": .unsigned(configBlock), "peers": .array(nodes.map { .string($0.configuration.name) }),
                                  "height": .unsigned(height)])
        } else {
            print("\(organization.mspID) added to \(channel) (configuration block \(configBlock)); peers \(nodes.map(\.configuration.name).joined(separator: ", ")) at height \(height)")
            print("Try: weft tx submit --dir \(directory.dir) --identity \(directory.dir)/crypto/\(organization.identities.first { $0.role == .client }?.path ?? "") --chaincode asset-transfer --function CreateAsset --args asset300 green 3 carol 30")
        }
    }

    /// Waits until every new peer has committed the configuration block (`target` blocks).
    private func waitForCatchUp(_ peers: [String], channel: String, profile: ConnectionProfile, target: UInt64) async throws -> UInt64 {
        var scoped = profile
        scoped.channel = channel
        guard let identity = profile.identity else { throw CLIFailure(.other, "profile.yaml names no client identity") }
        let gateway = try Gateway(profile: scoped, identityFolder: identity)
        defer { Task { await gateway.close() } }
        let deadline = ContinuousClock.now + .seconds(timeout)
        var lowest: UInt64 = 0
        while ContinuousClock.now < deadline {
            var heights: [UInt64] = []
            for peer in peers {
                if case .info(let info)? = try? await gateway.query(.info, peer: peer) { heights.append(info.height) }
            }
            lowest = heights.count == peers.count ? heights.min() ?? 0 : 0
            if lowest >= target { return lowest }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw CLIFailure(.unreachable, "the new peers did not reach height \(target) of \(channel) within \(timeout) s (lowest \(lowest)); see \(directory.dir)/logs")
    }

    private func progress(_ line: String) { DescriptorOutput.standardError(line + "\n") }
}
