import ArgumentParser

/// `weft ledger <verb>`: offline tools for a peer's ledger files.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Inspect a channel's ledger file.",
        discussion: "Example:\n  weft ledger verify ./weft-net/peer0.org1/ledger/mychannel.sqlite",
        subcommands: [LedgerVerifyCommand.self]
    )
}
