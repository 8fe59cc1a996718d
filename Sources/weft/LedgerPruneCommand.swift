import ArgumentParser
import Ledger
import WeftCore
import Wire
import WeftCommandLine

/// `weft ledger prune --before N`: drops old block bodies and key history — on a peer over its admin
/// RPC (`--channel C` with `--dir`/`--profile`), under the peer's retention settings, or in a local file.
struct LedgerPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove the bodies and key history of blocks below N, keeping headers, commit hashes and txIDs.",
        discussion: """
        Every block header and its metadata stay, so `weft ledger verify` still checks the hash chain; \
        the txID index stays, so a replayed old transaction is still a duplicate; world state is untouched. \
        Reads of a pruned block answer that it was pruned and name the archive given with --archive \
        (export the blocks first with `weft ledger export`). Runs in short transactions while a peer \
        serves, and returns the space to the file system (ledgers created by this version). \
        Without --file, an admin of the peer's organization asks the peer over its TLS port; --archive \
        then names an archive on the peer (as `weft ledger export --channel` printed it), checked against \
        the ledger first, and a peer whose node.yaml sets ledger.requireSnapshotBeforePrune refuses to \
        prune above its latest snapshot. Exit status: 0 pruned, 1 wrong usage or refused (the reason is \
        printed), 3 peer unreachable or the caller not an admin of its organization, 4 failed.

        Examples:
          weft ledger prune --dir ./weft-net --channel mychannel --before 10000 --archive archives/mychannel/0-9999.archive
          weft ledger prune --file ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --before 10000 --archive ./mychannel-0-9999.archive
        """
    )

    @Option(help: "A ledger file of one channel on this host (instead of calling a peer).") var file: String?
    @Option(help: "Blocks below this one are pruned.") var before: UInt64
    @Option(help: "Where the pruned blocks were archived (checked, recorded, and named when a pruned block is asked for); on the peer without --file.")
    var archive = ""
    @Option(help: "The channel (default: the profile's first channel).") var channel: String?
    @OptionGroup var target: LedgerPeerTarget
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func run() async throws {
        guard let file else { return try await runOnPeer() }
        try target.requireNoPeer(withFile: file)
        let ledger = try LedgerFileOption.open(file)
        defer { ledger.close() }
        let report = try LedgerFileOption.perform("cannot prune \(file)") { () throws(LedgerError) in
            if !archive.isEmpty { _ = try BlockArchive.verify(archive: archive, against: ledger) }
            return try ledger.prune(before: before, archive: archive)
        }
        try print(report, on: nil)
    }

    private func runOnPeer() async throws {
        let connection = try await target.connect(channel: channel)
        defer { Task { await connection.client.close() } }
        let pruned = try LedgerPruned(canonicalBytes: try await connection.call(.ledgerPrune, LedgerPruneRequest(before: before, archive: archive).canonicalBytes))
        try print(PruneReport(prunedBelow: pruned.prunedBelow, envelopesRemoved: Int(pruned.envelopesRemoved),
                              historyRowsRemoved: Int(pruned.historyRowsRemoved), fileBytesBefore: Int(pruned.fileBytesBefore),
                              fileBytesAfter: Int(pruned.fileBytesAfter), returnedSpace: pruned.returnedSpace),
                  on: "\(connection.channel) on \(connection.peer)")
    }

    private func print(_ report: PruneReport, on peer: String?) throws {
        if json { return try JSONOutput.print(report) }
        Swift.print("""
            \(peer.map { "\($0): " } ?? "")pruned below block \(report.prunedBelow): \(report.envelopesRemoved) envelopes and \(report.historyRowsRemoved) history rows removed
            database \(report.fileBytesBefore) → \(report.fileBytesAfter) bytes\(report.returnedSpace ? "" : " (freed pages are reused by new blocks; this file was created without incremental vacuum)")
            """)
    }
}
