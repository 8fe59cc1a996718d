import ArgumentParser

/// `weft orderer <verb>`.
struct OrdererCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orderer",
        abstract: "Run an orderer: order transactions by Raft, cut and deliver blocks.",
        subcommands: [OrdererStartCommand.self]
    )
}
