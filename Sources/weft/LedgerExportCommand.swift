import ArgumentParser
import Ledger
import WeftCore
import Wire
import WeftCommandLine

/// `weft ledger export --from A --to B`: blocks into a self-verifying archive — written by a peer over
/// its admin RPC (`--channel C` with `--dir`/`--profile`) and streamed to `--out`, or from a local file.
struct LedgerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write blocks A…B of a channel's ledger to an archive (before pruning them).",
        discussion: """
        The archive holds each block as stored (envelopes, validation flags, commit hash). It verifies \
        itself and against the headers a ledger keeps after pruning: `weft ledger verify LEDGER --archive FILE`. \
        Without --file, an admin of the peer's organization asks the peer over its TLS port: the peer \
        writes archives/<channel>/<A>-<B>.archive in its data folder (name it to `weft ledger prune \
        --archive`), and --out copies it here. Exit status: 0 written, 1 wrong usage or refused by the \
        peer, 3 peer unreachable or the caller not an admin of its organization, 4 failed.

        Examples:
          weft ledger export --dir ./weft-net --channel mychannel --from 0 --to 9999 --out ./mychannel-0-9999.archive
          weft ledger export --file ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --from 0 --to 9999 --out ./mychannel-0-9999.archive
        """
    )

    @Option(help: "A ledger file of one channel on this host (instead of calling a peer).") var file: String?
    @Option(help: "The first block to export.") var from: UInt64
    @Option(help: "The last block to export.") var to: UInt64
    @Option(help: "The new archive file (needed with --file; with a peer, where to copy the peer's archive).") var out: String?
    @Option(help: "The channel (default: the profile's first channel).") var channel: String?
    @OptionGroup var target: LedgerPeerTarget
    @Flag(help: "Print one JSON document instead of text.") var json = false

    struct PeerOutput: Encodable {
        var firstBlock: UInt64
        var blocks: UInt64
        var bytes: UInt64
        var sha256: String
        var out: String?
        var peer: String
        var peerPath: String
    }

    func run() async throws {
        guard let file else { return try await runOnPeer() }
        try target.requireNoPeer(withFile: file)
        guard let out else { throw CLIFailure(.usage, "--file needs --out FILE: the new archive file") }
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

    private func runOnPeer() async throws {
        if let out { try LedgerDownload.requireNew(out) }
        let connection = try await target.connect(channel: channel)
        defer { Task { await connection.client.close() } }
        let written = try LedgerFileWritten(canonicalBytes: try await connection.call(.ledgerExport, LedgerExportRequest(first: from, last: to).canonicalBytes))
        if let out { try await LedgerDownload.file(written.path, from: connection, to: out, bytes: written.bytes, sha256: written.sha256) }
        let output = PeerOutput(firstBlock: written.height, blocks: written.count, bytes: written.bytes, sha256: Hex.encode(written.sha256),
                                out: out, peer: connection.peer, peerPath: written.path)
        if json { return try JSONOutput.print(output) }
        print("""
            blocks \(output.firstBlock)…\(output.firstBlock + output.blocks - 1) of \(connection.channel)\(out.map { " in \($0)" } ?? "") (\(output.bytes) bytes, SHA-256 \(output.sha256))
            on \(connection.peer): \(written.path) in its data folder (prune with --archive \(written.path))
            """)
    }
}
