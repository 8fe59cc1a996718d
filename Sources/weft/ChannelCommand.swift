import ArgumentParser

/// `weft channel`: channel participation (docs/channels.md).
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Create a channel's genesis block, join nodes to it, list and leave channels.",
        subcommands: [ChannelCreateCommand.self, ChannelJoinCommand.self, ChannelListCommand.self, ChannelRemoveCommand.self, ChannelConfigCommand.self,
                      ChannelUpdateCommand.self]
    )
}
