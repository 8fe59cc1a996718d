import ArgumentParser
import WeftCore
import Wire
import WeftCommandLine

/// `weft channel remove`: make nodes leave a channel (an admin call to each node).
struct ChannelRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Make nodes leave a channel (its files stay unless --delete).",
        discussion: "Example:\n  weft channel remove ch2 --dir ./weft-net --node peer0.org2")

    @Argument(help: "The channel.") var name: String
    @Flag(help: "Also delete the channel's ledger or Raft state and block store.") var delete = false
    @OptionGroup var target: ChannelAdminTarget

    func run() async throws {
        let (profile, calls) = try target.calls()
        let membership = try ChannelAdminTarget.membership(of: profile)
        var results: [(String, JoinedChannels)] = []
        for call in calls {
            do {
                let body = ChannelRemoval(name: name, deleteData: delete).canonicalBytes
                results.append((call.name, try await ChannelAdminTarget.perform(call, membership: membership, .channelRemove, body)))
            } catch {
                throw CLIFailure(.other, "\(call.name): \(error)")
            }
        }
        try target.report(results)
    }
}
