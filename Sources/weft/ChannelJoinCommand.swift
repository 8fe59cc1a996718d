import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import Wire

/// `weft channel join`: join nodes to a channel with its genesis block (an admin call to each node).
struct ChannelJoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Join nodes to the channel a genesis block opens.",
        discussion: """
        An orderer starts the channel's Raft group (it must be one of the channel's consenters); a peer \
        opens a ledger for the channel and pulls its blocks from the orderers. Nodes of organizations \
        that are not members of the channel refuse the block.

        Examples:
          weft channel join --block ch2.block --dir ./weft-net
          weft channel join --block ch2.block --profile profile.yaml --identity Admin@org1 --node peer0.org1
        """)

    @Option(help: "The channel's genesis block (from `weft channel create`).") var block: String
    @OptionGroup var target: ChannelAdminTarget

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: block) else { throw CLIFailure(.usage, "cannot read \(block)") }
        let (profile, calls) = try target.calls()
        var results: [(String, JoinedChannels)] = []
        var failures: [String] = []
        for call in calls {
            do {
                results.append((call.name, try await ChannelAdminTarget.perform(call, profile: profile, .channelJoin, [UInt8](data))))
            } catch {
                // With --dir, nodes outside the channel refuse it; that is not a failure of the others.
                failures.append("\(call.name): \(error)")
            }
        }
        try target.report(results)
        for failure in failures { DescriptorOutput.standardError(failure + "\n") }
        if results.isEmpty { throw CLIFailure(.other, "no node joined") }
    }
}
