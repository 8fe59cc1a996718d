import ArgumentParser
import Ledger
import WeftCore
import WeftCommandLine

/// `weft ledger restore --snapshot DIR --to FILE`: a new ledger file from a snapshot (join by snapshot).
struct LedgerRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Create a channel's ledger file from a snapshot, for a peer to join at the snapshot's height.",
        discussion: """
        Checks the snapshot folder against its manifest and, with --commit-hash, against the commit hash \
        the channel's other peers report at that height (`weft network status`), then writes world state, \
        the txID index and the snapshot's last block into a new ledger file. A peer started with that file \
        as its ledger pulls the blocks after the snapshot from the orderers and reaches the same commit \
        hashes as its peers; blocks and key history before the snapshot are not on it. \
        Exit status: 0 written, 1 wrong usage or a snapshot that does not match, 4 failed.

        Example:
          weft ledger restore --snapshot ./snap-120 --commit-hash 3f2a… --to ./weft-net/nodes/peer1.org1/data/mychannel.sqlite
        """
    )

    @Option(help: "The snapshot folder (`weft ledger snapshot`).") var snapshot: String
    @Option(help: "The new ledger file.") var to: String
    @Option(help: "The commit hash the channel's peers report at the snapshot's height (hex).") var commitHash: String?
    @Flag(help: "Print one JSON document instead of text.") var json = false

    struct Output: Encodable {
        var file: String
        var height: UInt64
        var commitHash: String
        var snapshotHash: String
    }

    func run() throws {
        let (ledger, manifest) = try Self.restore(snapshot: snapshot, to: to, commitHash: commitHash)
        defer { ledger.close() }
        let output = Output(file: to, height: ledger.chainInfo.height, commitHash: Hex.encode(ledger.chainInfo.commitHash),
                            snapshotHash: manifest.snapshotHash)
        if json {
            try JSONOutput.print(output)
        } else {
            print("\(to): ledger of \(manifest.channel) at height \(output.height) from snapshot \(output.snapshotHash)")
            if commitHash == nil {
                print("commit hash \(output.commitHash) — compare it with what the channel's peers report at height \(output.height)")
            }
        }
    }

    /// Makes the ledger file `to` from `snapshot` (of `channel`, when given), checked against its
    /// manifest, its producer's signature when it has one, and, when given, the commit hash its peers report: `ledger restore` and
    /// `channel join --snapshot`.
    static func restore(snapshot: String, to: String, commitHash: String?, channel: String? = nil) throws -> (Ledger, SnapshotManifest) {
        let manifest = try LedgerFileOption.perform("cannot read \(snapshot)") { () throws(LedgerError) in
            let manifest = try SnapshotManifest.verify(folder: snapshot)
            _ = try SnapshotSignature.read(folder: snapshot)?.verify(against: manifest, folder: snapshot)
            return manifest
        }
        if let channel, manifest.channel != channel {
            throw CLIFailure(.usage, "\(snapshot) is a snapshot of channel '\(manifest.channel)', not of '\(channel)'")
        }
        let ledger = try LedgerFileOption.perform("cannot restore \(snapshot)") { () throws(LedgerError) in
            try Ledger.restore(snapshot: snapshot, to: to, expectedCommitHash: commitHash)
        }
        return (ledger, manifest)
    }
}
