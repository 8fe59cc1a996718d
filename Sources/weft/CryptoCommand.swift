import ArgumentParser

/// `weft crypto <verb>`: crypto material of a network.
struct CryptoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Create the crypto material (CAs, keys, certificates) of a network.",
        discussion: "Example:\n  weft crypto generate --orgs 2 --peers 2 --orderers 3 --users 1 --out ./crypto",
        subcommands: [
            CryptoGenerateCommand.self,
        ]
    )
}
