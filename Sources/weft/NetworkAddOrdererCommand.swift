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

/// `weft network add-orderer`: add an orderer to a running local network's channel, as an operator would
/// by hand (docs/governance.md, "Adding and removing orderers").
struct NetworkAddOrdererCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-orderer",
        abstract: "Add an orderer (a consenter) to a running local network: its crypto material, a signed configuration update, the node.",
        discussion: """
        Issues the orderer's signing and TLS certificates from the orderer organization's CAs in DIR/crypto; \
        creates the update that adds it as a consenter of the channel; has every organization's admin sign \
        it; submits it and waits until it is in force; starts the orderer and joins it to the channel with \
        the genesis block (it fetches the configuration in force from the other consenters), and waits \
        until it holds the channel's blocks. The Raft leader adds it to Raft's membership meanwhile. On \
        separate hosts the same steps run one by one (docs/governance.md).

        Example:
          weft network add-orderer --dir ./weft-net --channel mychannel
        """)

    @OptionGroup var directory: NetworkDirectoryOption
    @Option(help: "The orderer's name (default: the next ordererN.<domain> of the orderer organization).") var name: String?
    @Option(help: "The channel to add it to (default: the network's first channel).") var channel: String?
    @Option(help: "Seconds to wait for the update and the new orderer.") var timeout = 60
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func run() async throws {
        let folder = directory.url
        var (state, profilePath, _, changes) = try LocalNetworkUpdate.open(directory, channel: channel, timeout: timeout)
        var written = try ConnectionProfile.loadAsWritten(path: profilePath)
        let channel = changes.channel
        let genesis = try changes.genesisBlock()
        let crypto = folder.appendingPathComponent("crypto")
        guard let material = try LocalNetworkSetup.existingMaterial(in: crypto),
              let organization = material.organizations.first(where: { $0.kind == "orderer" }) else {
            throw CLIFailure(.usage, "\(directory.dir)/crypto has no orderer organization")
        }
        let existing = Set(organization.identities.map(\.name))
        let name = self.name ?? (0...).lazy.map { "orderer\($0).\(organization.domain)" }.first { !existing.contains($0) }!
        let identity: GeneratedIdentity
        do { identity = try CryptoMaterialIssuance.addNode(in: crypto, organization: organization.mspID, name: name, role: .orderer) } catch {
            throw CLIFailure(.usage, "issuing \(name)'s certificates: \(error)")
        }
        progress("issued \(name)'s certificates in \(directory.dir)/crypto/\(identity.path)")

        let address = "127.0.0.1:\(try ProcessLauncher.freePort())"
        let node = NodeConfiguration(
            role: .orderer, name: name, mspID: organization.mspID, identity: "../../crypto/\(identity.path)",
            listen: address, operations: "127.0.0.1:\(try ProcessLauncher.freePort())", operationsTLS: true,
            dataDir: "data", logLevel: "info")
        let edit = ChannelConfigEdit.addConsenter(
            name: name, mspID: organization.mspID, address: address,
            tlsCertificate: try ChannelUpdateCreateCommand.certificate(crypto.appendingPathComponent(identity.tlsCertificatePath).path),
            signingCertificate: try ChannelUpdateCreateCommand.certificate(crypto.appendingPathComponent(identity.certificatePath).path))
        let configBlock = try await changes.submit([edit], label: "add-\(name)", progress: progress)
        progress("\(name) is a consenter of \(channel) from block \(configBlock + 1)")

        let nodeFolder = folder.appendingPathComponent(LocalNetworkPlan.nodeFolder(name))
        try FileManager.default.createDirectory(at: nodeFolder, withIntermediateDirectories: true)
        try node.yaml().write(to: nodeFolder.appendingPathComponent("node.yaml"), atomically: true, encoding: .utf8)
        var listed = ConnectionProfile.Orderer(name: name, address: address, mspID: organization.mspID)
        listed.operations = node.operations
        written.orderers.append(listed)
        try written.yaml().write(toFile: profilePath, atomically: true, encoding: .utf8)
        var entry = LocalNetworkState.Node(name: name, role: .orderer, config: LocalNetworkPlan.nodeFolder(name) + "/node.yaml", log: "logs/\(name).log")
        progress("starting orderer \(name)")
        entry.pid = try ProcessLauncher.spawn(
            ProcessLauncher.executablePath, ["orderer", "start", "--config", folder.appendingPathComponent(entry.config).path],
            log: folder.appendingPathComponent(entry.log).path)
        state.nodes.append(entry)
        try state.save(to: folder)

        let height = try await joinAndCatchUp(name, channel: channel, genesis: [UInt8](genesis), target: configBlock + 1)
        if json {
            try JSONOutput.print(["orderer": JSONValue.string(name), "address": .string(address), "channel": .string(channel),
                                  "configBlock": .unsigned(configBlock), "height": .unsigned(height)])
        } else {
            print("\(name) (\(address)) added to \(channel) (configuration block \(configBlock)); at height \(height)")
        }
    }

    /// Joins the new orderer to the channel (retrying while it starts), then waits until it holds
    /// `target` blocks.
    private func joinAndCatchUp(_ name: String, channel: String, genesis: [UInt8], target: UInt64) async throws -> UInt64 {
        let admin = try ChannelAdminTarget.parse(["--dir", directory.dir, "--node", name])
        let (profile, calls) = try admin.calls()
        let membership = try ChannelAdminTarget.membership(of: profile)
        guard let call = calls.first else { throw CLIFailure(.other, "profile.yaml does not list \(name)") }
        let deadline = ContinuousClock.now + .seconds(timeout)
        var joined = false
        var lastError = ""
        var height: UInt64 = 0
        while ContinuousClock.now < deadline {
            do {
                let listing = try await ChannelAdminTarget.perform(call, membership: membership, joined ? .channelList : .channelJoin, joined ? [] : genesis)
                if !joined { progress("\(name) joined the channel") }
                joined = true
                height = listing.channels.first { $0.name == channel }?.height ?? 0
                if height >= target { return height }
            } catch {
                lastError = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw CLIFailure(.unreachable, "\(name) did not \(joined ? "reach height \(target) (at \(height))" : "join the channel (\(lastError))") within \(timeout) s; see \(directory.dir)/logs/\(name).log")
    }

    private func progress(_ line: String) { DescriptorOutput.standardError(line + "\n") }
}
