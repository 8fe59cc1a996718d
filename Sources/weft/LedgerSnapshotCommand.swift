import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore

/// `weft ledger snapshot --file LEDGER --out DIR`: writes a snapshot of a ledger file.
struct LedgerSnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write a snapshot of a channel's ledger file: world state, txIDs, last block, snapshot hash.",
        discussion: """
        The folder holds, at block height N, every key with its value and version, the keys whose last \
        write was a delete, every txID (for duplicate detection), the last block's header and metadata, \
        and manifest.json with each file's SHA-256 and the snapshot hash. Peers of a channel at the same \
        height write the same snapshot hash. Reads one consistent view: a running peer keeps committing. \
        Check a snapshot with `weft ledger verify DIR`. Exit status: 0 written, 1 wrong usage, 4 failed.

        Example:
          weft ledger snapshot --file ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --out ./snap-120
        """
    )

    @Option(help: "The ledger file of one channel.")
    var file: String

    @Option(help: "The new folder to write the snapshot into.")
    var out: String

    @Option(help: "The height to snapshot (default: the current height); an earlier one is rebuilt from the key history.")
    var at: UInt64?

    @Option(help: "The channel's name (default: the ledger file's name without its extension).")
    var channel: String?

    @Flag(help: "Print the manifest as one JSON document instead of text.")
    var json = false

    func run() throws {
        let ledger = try LedgerFileOption.open(file)
        defer { ledger.close() }
        let manifest = try LedgerFileOption.perform("cannot write the snapshot") { () throws(LedgerError) in
            try ledger.exportSnapshot(channel: channel ?? LedgerFileOption.channel(of: file), at: at, to: out)
        }
        if json {
            try JSONOutput.print(manifest)
        } else {
            print("""
                snapshot of \(manifest.channel) at height \(manifest.height) in \(out)
                snapshot hash \(manifest.snapshotHash)
                commit hash   \(manifest.commitHash)
                \(manifest.files.map { "\($0.name): \($0.records) records, \($0.bytes) bytes" }.joined(separator: "\n"))
                """)
        }
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
