import ArgumentParser

/// `weft peer <verb>`.
struct PeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Run a peer: endorse, commit, answer queries.",
        subcommands: [PeerStartCommand.self]
    )
}
