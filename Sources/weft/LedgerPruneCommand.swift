import ArgumentParser
import Ledger

/// `weft ledger prune --file LEDGER --before N`: drops old block bodies and key history.
struct LedgerPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove the bodies and key history of blocks below N, keeping headers, commit hashes and txIDs.",
        discussion: """
        Every block header and its metadata stay, so `weft ledger verify` still checks the hash chain; \
        the txID index stays, so a replayed old transaction is still a duplicate; world state is untouched. \
        Reads of a pruned block answer that it was pruned and name the archive given with --archive \
        (export the blocks first with `weft ledger export`). Runs in short transactions while a peer \
        serves, and returns the space to the file system (ledgers created by this version). \
        Exit status: 0 pruned, 1 wrong usage, 4 failed.

        Example:
          weft ledger prune --file ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --before 10000 --archive ./mychannel-0-9999.archive
        """
    )

    @Option(help: "The ledger file of one channel.") var file: String
    @Option(help: "Blocks below this one are pruned.") var before: UInt64
    @Option(help: "Where the pruned blocks were archived (recorded, and named when a pruned block is asked for).")
    var archive = ""
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func run() throws {
        let ledger = try LedgerFileOption.open(file)
        defer { ledger.close() }
        let report = try LedgerFileOption.perform("cannot prune \(file)") { () throws(LedgerError) in
            if !archive.isEmpty { _ = try BlockArchive.verify(archive: archive, against: ledger) }
            return try ledger.prune(before: before, archive: archive)
        }
        if json {
            try JSONOutput.print(report)
        } else {
            print("""
                pruned below block \(report.prunedBelow): \(report.envelopesRemoved) envelopes and \(report.historyRowsRemoved) history rows removed
                database \(report.fileBytesBefore) → \(report.fileBytesAfter) bytes\(report.returnedSpace ? "" : " (freed pages are reused by new blocks; this file was created without incremental vacuum)")
                """)
        }
    }
}
