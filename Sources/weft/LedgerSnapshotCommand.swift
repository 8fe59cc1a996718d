import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import Wire
import WeftCommandLine

/// `weft ledger snapshot`: a snapshot of a channel's ledger — written by a peer over its admin RPC
/// (`--channel C` with `--dir`/`--profile`), signed by it and streamed to `--out`, or from a local
/// ledger file (`--file`, unsigned).
struct LedgerSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write a snapshot of a channel's ledger: world state, txIDs, last block, snapshot hash.",
        discussion: """
        The folder holds, at block height N, every key with its value and version, the keys whose last \
        write was a delete, every txID (for duplicate detection), the last block's header and metadata, \
        and manifest.json with each file's SHA-256 and the snapshot hash. Peers of a channel at the same \
        height write the same snapshot hash. Reads one consistent view: a running peer keeps committing.

        Without --file, an admin of the peer's organization asks the peer over its TLS port: the peer \
        writes the snapshot in its data folder (snapshots/<channel>/<height>/), signs it with its \
        signing identity (signature.json), and --out copies the folder here. With --file, the snapshot \
        of a ledger file on this host (unsigned). Check a snapshot with `weft ledger verify DIR`. \
        Exit status: 0 written, 1 wrong usage or refused by the peer (the reason is printed), 3 peer \
        unreachable or the caller not an admin of its organization, 4 failed.

        Examples:
          weft ledger snapshot --dir ./weft-net --channel mychannel --out ./snap
          weft ledger snapshot --profile profile.yaml --identity ./Admin@org1 --peer peer0.org1 --channel ch2 --at 120
          weft ledger snapshot --file ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --out ./snap-120
        """
    )

    @Option(help: "A ledger file of one channel on this host (instead of calling a peer).")
    var file: String?

    @Option(help: "The new folder to write the snapshot into (needed with --file; with a peer, where to copy the peer's snapshot).")
    var out: String?

    @Option(help: "The height to snapshot (default: the current height); an earlier one is rebuilt from the key history.")
    var at: UInt64?

    @Option(help: "The channel (default: the profile's first channel; with --file, the file's name without its extension).")
    var channel: String?

    @OptionGroup var target: LedgerPeerTarget

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func run() async throws {
        guard let file else { return try await runOnPeer() }
        try target.requireNoPeer(withFile: file)
        guard let out else { throw CLIFailure(.usage, "--file needs --out DIR: the new folder for the snapshot") }
        let ledger = try LedgerFileOption.open(file)
        defer { ledger.close() }
        let manifest = try LedgerFileOption.perform("cannot write the snapshot") { () throws(LedgerError) in
            try ledger.exportSnapshot(channel: channel ?? LedgerFileOption.channel(of: file), at: at, to: out)
        }
        try report(manifest, signer: nil, peer: nil, out: out)
    }

    /// Asks the peer for a signed snapshot and copies it to `--out`.
    private func runOnPeer() async throws {
        if let out { try LedgerDownload.requireNew(out) }
        let connection = try await target.connect(channel: channel)
        defer { Task { await connection.client.close() } }
        let taken = try LedgerSnapshotTaken(canonicalBytes: try await connection.call(.ledgerSnapshot, LedgerSnapshotRequest(height: at ?? 0).canonicalBytes))
        let manifest = try LedgerDownload.decodeManifest(taken.manifest)
        if let out { try await LedgerDownload.snapshot(taken, from: connection, to: out) }
        try report(manifest, signer: taken.signature.isEmpty ? nil : taken.signature, peer: (connection.peer, taken.folder), out: out)
    }

    private func report(_ manifest: SnapshotManifest, signer: [UInt8]?, peer: (name: String, folder: String)?, out: String?) throws {
        let signature = signer.flatMap { try? JSONDecoder().decode(SnapshotSignature.self, from: Data($0)) }
        if json {
            guard peer != nil else { return try JSONOutput.print(manifest) }
            try JSONOutput.print(PeerOutput(manifest: manifest, peer: peer?.name, peerFolder: peer?.folder, out: out, signedBy: signature?.mspID))
            return
        }
        var lines = [
            "snapshot of \(manifest.channel) at height \(manifest.height)" + (out.map { " in \($0)" } ?? ""),
            "snapshot hash \(manifest.snapshotHash)",
            "commit hash   \(manifest.commitHash)",
        ]
        if let peer { lines.append("on \(peer.name): \(peer.folder) in its data folder" + (signature.map { ", signed by \($0.mspID)" } ?? "")) }
        lines += manifest.files.map { "\($0.name): \($0.records) records, \($0.bytes) bytes" }
        print(lines.joined(separator: "\n"))
    }

    /// `--json` of a snapshot taken by a peer: the manifest's fields, then where it is and who signed.
    private struct PeerOutput: Encodable {
        let manifest: SnapshotManifest
        let peer: String?
        let peerFolder: String?
        let out: String?
        let signedBy: String?

        func encode(to encoder: any Encoder) throws {
            try manifest.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(peer, forKey: .peer)
            try container.encode(peerFolder, forKey: .peerFolder)
            try container.encode(out, forKey: .out)
            try container.encode(signedBy, forKey: .signedBy)
        }

        private enum Keys: String, CodingKey { case peer, peerFolder, out, signedBy }
    }
}

/// Opening a ledger file named on the command line.
enum LedgerFileOption {
    /// Opens the existing ledger file `path` (never creates one).
    static func open(_ path: String) throws -> Ledger {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIFailure(.usage, "no ledger file at \(path) — pass a channel's ledger file, e.g. ./weft-net/nodes/peer0.org1/data/mychannel.sqlite")
        }
        do {
            return try Ledger.open(path: path)
        } catch {
            throw CLIFailure(.other, "cannot open \(path): \(error)")
        }
    }

    /// Runs a ledger operation: a refused argument is wrong usage (exit 1, the ledger's own words),
    /// anything else a failure (exit 4) prefixed with `what`.
    static func perform<T>(_ what: String, _ body: () throws(LedgerError) -> T) throws -> T {
        do {
            return try body()
        } catch .invalidArgument(let reason) {
            throw CLIFailure(.usage, reason)
        } catch {
            throw CLIFailure(.other, "\(what): \(error)")
        }
    }

    /// The channel a ledger file belongs to, by its name (`mychannel.sqlite` → `mychannel`).
    static func channel(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.split(separator: ".").first.map(String.init) ?? name
    }
}
