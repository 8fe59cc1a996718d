import ArgumentParser

/// `weft ledger <verb>`: offline tools for a peer's ledger files.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Verify, snapshot, back up, export, prune and restore a channel's ledger file.",
        discussion: "Example:\n  weft ledger verify ./weft-net/nodes/peer0.org1/data/mychannel.sqlite",
        subcommands: [LedgerVerifyCommand.self, LedgerSnapshotCommand.self, LedgerBackupCommand.self,
                      LedgerExportCommand.self, LedgerPruneCommand.self, LedgerRestoreCommand.self]
    )
}
