import ArgumentParser
import Ledger

/// `weft ledger export --file LEDGER --from A --to B --out FILE`: blocks into a self-verifying archive.
struct LedgerExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write blocks A…B of a ledger file to an archive (before pruning them).",
        discussion: """
        The archive holds each block as stored (envelopes, validation flags, commit hash). It verifies \
        itself and against the headers a ledger keeps after pruning: `weft ledger verify LEDGER --archive FILE`. \
        Exit status: 0 written, 1 wrong usage, 4 failed.

        Example:
          weft ledger export --file ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --from 0 --to 9999 --out ./mychannel-0-9999.archive
        """
    )

    @Option(help: "The ledger file of one channel.") var file: String
    @Option(help: "The first block to export.") var from: UInt64
    @Option(help: "The last block to export.") var to: UInt64
    @Option(help: "The new archive file.") var out: String
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func run() throws {
        let ledger = try LedgerFileOption.open(file)
        defer { ledger.close() }
        let summary = try LedgerFileOption.perform("cannot export blocks \(from)…\(to)") { () throws(LedgerError) in
            try BlockArchive.export(from: ledger, first: from, last: to, to: out)
        }
        if json {
            try JSONOutput.print(summary)
        } else {
            print("blocks \(summary.firstBlock)…\(summary.firstBlock + summary.blocks - 1) in \(out) (\(summary.bytes) bytes, SHA-256 \(summary.sha256))")
        }
    }
}
