import ArgumentParser
import Ledger
import WeftCore
import Wire
import WeftCommandLine

/// `weft ledger backup`: an online copy of a channel's ledger file — written by a peer over its admin
/// RPC (`--channel C` with `--dir`/`--profile`) and streamed to `--to`, or of a local file (`--file`).
struct LedgerBackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a channel's ledger file while it is in use, consistent at a block boundary.",
        discussion: """
        Uses SQLite's online backup API from one read snapshot: a running peer keeps committing, and the \
        copy ends at the block boundary it reports. The copy is a ledger file: `weft ledger verify` checks \
        it, and a peer opens it as its ledger. Without --file, an admin of the peer's organization asks \
        the peer over its TLS port: the peer writes the copy in its data folder \
        (backups/<channel>/<height>.sqlite) and --to copies it here (its size and SHA-256 checked). \
        Exit status: 0 written, 1 wrong usage or refused by the peer, 3 peer unreachable or the caller \
        not an admin of its organization, 4 failed.

        Examples:
          weft ledger backup --dir ./weft-net --channel mychannel --to ./mychannel-backup.sqlite
          weft ledger backup --file ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --to ./mychannel-backup.sqlite
        """
    )

    @Option(help: "A ledger file of one channel on this host (instead of calling a peer).")
    var file: String?

    @Option(help: "The new file to write the copy to (needed with --file; with a peer, where to copy the peer's backup).")
    var to: String?

    @Option(help: "The channel (default: the profile's first channel).")
    var channel: String?

    @OptionGroup var target: LedgerPeerTarget

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    struct Output: Encodable {
        var file: String?
        var height: UInt64
        var currentHash: String
        var commitHash: String
        var peer: String?
        var peerPath: String?
    }

    func run() async throws {
        guard let file else { return try await runOnPeer() }
        try target.requireNoPeer(withFile: file)
        guard let to else { throw CLIFailure(.usage, "--file needs --to FILE: the new file for the copy") }
        let ledger = try LedgerFileOption.open(file)
        defer { ledger.close() }
        let chain = try LedgerFileOption.perform("cannot back up \(file)") { () throws(LedgerError) in try ledger.backup(to: to) }
        try report(Output(file: to, height: chain.height, currentHash: Hex.encode(chain.currentBlockHash), commitHash: Hex.encode(chain.commitHash)),
                   source: file)
    }

    private func runOnPeer() async throws {
        if let to { try LedgerDownload.requireNew(to) }
        let connection = try await target.connect(channel: channel)
        defer { Task { await connection.client.close() } }
        let written = try LedgerFileWritten(canonicalBytes: try await connection.call(.ledgerBackup, []))
        if let to { try await LedgerDownload.file(written.path, from: connection, to: to, bytes: written.bytes, sha256: written.sha256) }
        try report(Output(file: to, height: written.height, currentHash: Hex.encode(written.currentHash), commitHash: Hex.encode(written.commitHash),
                          peer: connection.peer, peerPath: written.path),
                   source: "\(connection.channel) on \(connection.peer)")
    }

    private func report(_ output: Output, source: String) throws {
        if json { return try JSONOutput.print(output) }
        var lines = ["backup of \(source) at height \(output.height)" + (output.file.map { " in \($0)" } ?? "")]
        if let peer = output.peer, let path = output.peerPath { lines.append("on \(peer): \(path) in its data folder") }
        lines.append("commit hash \(output.commitHash)")
        print(lines.joined(separator: "\n"))
    }
}
