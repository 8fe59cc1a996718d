import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftNode
import Wire

/// `weft channel join`: join nodes to a channel with its genesis block (an admin call to each node).
struct ChannelJoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Join nodes to the channel a genesis block opens.",
        discussion: """
        An orderer starts the channel's Raft group (it must be one of the channel's consenters); a peer \
        opens a ledger for the channel and pulls its blocks from the orderers. Without --node, every node \
        of the network that belongs to the channel is called (orderers that are its consenters, peers of \
        its organizations; the others are skipped) and the command fails unless each of them joined. \
        With --skip-joined a node that already has the channel from this same block counts as joined, \
        so an init step can run the command again.

        Examples:
          weft channel join --block ch2.block --dir ./weft-net
          weft channel join --block ch2.block --dir ./weft-net --skip-joined
          weft channel join --block ch2.block --profile profile.yaml --identity Admin@org1 --node peer0.org1
        """)

    @Option(help: "The channel's genesis block (from `weft channel create`).") var block: String
    @Flag(name: .customLong("skip-joined"), help: "A node that has already joined the channel with this block counts as joined (for init steps that run again).")
    var skipJoined = false
    @OptionGroup var target: ChannelAdminTarget

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: block) else { throw CLIFailure(.usage, "cannot read \(block)") }
        let genesis: GenesisBlock.Checked
        do { genesis = try GenesisBlock.check([UInt8](data)) } catch { throw CLIFailure(.usage, "\(block): \(error)") }
        let channel = genesis.channel.name
        let config = try genesis.transaction.config()
        let (profile, calls) = try target.calls()
        // Every node of the network unless --node: only the channel's members are asked.
        let members = target.node != nil ? calls : calls.filter { call in
            call.role == .orderer
                ? config.consenters.contains { $0.name == call.name }
                : config.organizations.contains { $0.mspID == call.mspID }
        }
        guard !members.isEmpty else { throw CLIFailure(.usage, "no node of the network is a member of channel '\(channel)'") }
        var results: [(String, JoinedChannels)] = []
        var notes: [String] = calls.filter { call in !members.contains { $0.name == call.name } }
            .map { "\($0.name): not a member of channel '\(channel)', skipped" }
        var failures: [String] = []
        for call in members {
            do {
                results.append((call.name, try await ChannelAdminTarget.perform(call, profile: profile, .channelJoin, [UInt8](data))))
            } catch {
                if skipJoined, let listing = try? await ChannelAdminTarget.perform(call, profile: profile, .channelList, []),
                   listing.channels.contains(where: { $0.name == channel && $0.genesisHash == genesis.block.header.hash }) {
                    results.append((call.name, listing))
                    notes.append("\(call.name): already joined channel '\(channel)' with this block")
                } else {
                    failures.append("\(call.name) (\(call.address)): \(error)")
                }
            }
        }
        try target.report(results)
        for line in notes + failures { DescriptorOutput.standardError(line + "\n") }
        if !failures.isEmpty {
            throw CLIFailure(.other, "\(failures.count) of \(members.count) nodes did not join channel '\(channel)'")
        }
    }
}
