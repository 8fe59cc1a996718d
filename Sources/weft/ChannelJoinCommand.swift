import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import WeftNode
import Wire
import WeftCommandLine

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
          weft channel join --block ch2.block --dir ./weft-net --node peer1.org1 --snapshot ./snap-120 --commit-hash 3f2a…

        With --snapshot (a local network's peer, --dir and --node), the peer joins by snapshot: its ledger \
        file for the channel is first made from the snapshot (as `weft ledger restore`), so it pulls only \
        the blocks after the snapshot's height. On another host, run `weft ledger restore` there first.
        """)

    @Option(help: "The channel's genesis block (from `weft channel create`).") var block: String
    @Flag(name: .customLong("skip-joined"), help: "A node that has already joined the channel with this block counts as joined (for init steps that run again).")
    var skipJoined = false
    @Option(help: "Join by snapshot: a snapshot folder of the channel (`weft ledger snapshot`); needs --dir and --node of a peer.")
    var snapshot: String?
    @Option(help: "With --snapshot: the commit hash the channel's peers report at the snapshot's height (hex).")
    var commitHash: String?
    @OptionGroup var target: ChannelAdminTarget

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: block) else { throw CLIFailure(.usage, "cannot read \(block)") }
        let genesis: GenesisBlock.Checked
        do { genesis = try GenesisBlock.check([UInt8](data)) } catch { throw CLIFailure(.usage, "\(block): \(error)") }
        let channel = genesis.channel.name
        let config = try genesis.transaction.config()
        let (profile, calls) = try target.calls()
        let membership = try ChannelAdminTarget.membership(of: profile)
        if let snapshot { try restore(snapshot, channel: channel, calls: calls) }
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
                results.append((call.name, try await ChannelAdminTarget.perform(call, membership: membership, .channelJoin, [UInt8](data))))
            } catch {
                if skipJoined, let listing = try? await ChannelAdminTarget.perform(call, membership: membership, .channelList, []),
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

    /// Makes the ledger file of the one local peer in `calls` from `snapshot`, before it joins.
    private func restore(_ snapshot: String, channel: String, calls: [ChannelAdminTarget.Call]) throws {
        guard let dir = target.dir ?? (target.profile == nil ? "weft-net" : nil), calls.count == 1, calls[0].role == .peer else {
            throw CLIFailure(.usage, "--snapshot joins one peer of a local network: pass --dir DIR and --node PEER (elsewhere, run `weft ledger restore` on the peer's host, then join)")
        }
        let file = URL(fileURLWithPath: dir).appendingPathComponent("nodes/\(calls[0].name)/data/\(channel).sqlite").path
        guard !FileManager.default.fileExists(atPath: file) else {
            throw CLIFailure(.usage, "\(calls[0].name) already has a ledger for \(channel) (\(file)); join without --snapshot, or remove the channel with --delete first")
        }
        let (ledger, _) = try LedgerRestoreCommand.restore(snapshot: snapshot, to: file, commitHash: commitHash, channel: channel)
        DescriptorOutput.standardError("\(calls[0].name): ledger of \(channel) restored at height \(ledger.chainInfo.height) from \(snapshot)\n")
        ledger.close()
    }
}
