import ArgumentParser

/// `weft ledger <verb>`: a channel's ledger — on a peer over its admin RPC (`--channel C` with `--dir`
/// or `--profile`/`--identity`) or in a ledger file on this host (`--file`).
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Snapshot, back up, export and prune a channel's ledger on a peer or in a file; verify and restore.",
        discussion: """
        Examples:
          weft ledger snapshot --dir ./weft-net --channel mychannel --out ./snap
          weft ledger verify ./weft-net/nodes/peer0.org1/data/mychannel.sqlite
        """,
        subcommands: [LedgerVerifyCommand.self, LedgerSnapshotCommand.self, LedgerBackupCommand.self,
                      LedgerExportCommand.self, LedgerPruneCommand.self, LedgerRestoreCommand.self]
    )
}
