import ArgumentParser
import WeftCore
import Wire
import WeftCommandLine

/// `weft channel list`: the channels each node has joined (an admin call to each node).
struct ChannelListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the channels each node has joined, with heights.",
        discussion: "Example:\n  weft channel list --dir ./weft-net")

    @OptionGroup var target: ChannelAdminTarget

    func run() async throws {
        let (profile, calls) = try target.calls()
        let membership = try ChannelAdminTarget.membership(of: profile)
        var results: [(String, JoinedChannels)] = []
        for call in calls {
            do {
                results.append((call.name, try await ChannelAdminTarget.perform(call, membership: membership, .channelList, [])))
            } catch {
                throw CLIFailure(.unreachable, "\(call.name) (\(call.address)): \(error)")
            }
        }
        try target.report(results)
    }
}
