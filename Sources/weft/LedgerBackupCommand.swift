import ArgumentParser
import Ledger
import WeftCore

/// `weft ledger backup --file LEDGER --to FILE`: an online copy of a ledger file.
struct LedgerBackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a channel's ledger file while it is in use, consistent at a block boundary.",
        discussion: """
        Uses SQLite's online backup API from one read snapshot: a running peer keeps committing, and the \
        copy ends at the block boundary it reports. The copy is a ledger file: `weft ledger verify` checks \
        it, and a peer opens it as its ledger. Exit status: 0 written, 1 wrong usage, 4 failed.

        Example:
          weft ledger backup --file ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --to ./mychannel-backup.sqlite
        """
    )

    @Option(help: "The ledger file of one channel.")
    var file: String

    @Option(help: "The new file to write the copy to.")
    var to: String

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    struct Output: Encodable {
        var file: String
        var height: UInt64
        var currentHash: String
        var commitHash: String
    }

    func run() throws {
        let ledger = try LedgerFileOption.open(file)
        defer { ledger.close() }
        let chain = try LedgerFileOption.perform("cannot back up \(file)") { () throws(LedgerError) in try ledger.backup(to: to) }
        let output = Output(file: to, height: chain.height, currentHash: Hex.encode(chain.currentBlockHash), commitHash: Hex.encode(chain.commitHash))
        if json {
            try JSONOutput.print(output)
        } else {
            print("backup of \(file) at height \(output.height) in \(to)\ncommit hash \(output.commitHash)")
        }
    }
}
