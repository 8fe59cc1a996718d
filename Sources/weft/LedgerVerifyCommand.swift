import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Ledger
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft ledger verify PATH`: walks every block of a ledger file and reports the first inconsistency.
struct LedgerVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a ledger file (hash chain, data hashes, commit hashes, world state) or a snapshot folder.",
        discussion: """
        Walks every block: the header hash and the hash chain, the Merkle data hash over the envelopes, \
        the validation flags against the transaction index, and the commit hash recomputed from the \
        block's valid writes; then the savepoint, and world state against a replay of the key history. \
        Reports the first inconsistency with its block number. Exit status: 0 consistent, \
        4 inconsistent or unreadable, 1 wrong usage. Read-only: the file is not modified. Given a snapshot \
        folder (`weft ledger snapshot`), checks every file against the manifest and the snapshot hash, and \
        the producing peer's signature when there is one (it prints who signed; unsigned otherwise).

        Example:
          weft ledger verify ./weft-net/nodes/peer0.org1/data/mychannel.sqlite --json
        """
    )

    @Argument(help: "The ledger file of one channel, or a snapshot folder.")
    var path: String

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    @Option(help: "Also check this block archive (`weft ledger export`) against the ledger's kept headers.")
    var archive: String?

    func run() throws {
        if (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeDirectory {
            return try verifySnapshot()
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIFailure(.usage, "no ledger file at \(path) — pass a channel's ledger file, e.g. weft ledger verify ./weft-net/nodes/peer0.org1/data/mychannel.sqlite")
        }
        let report: LedgerVerificationReport
        do {
            report = try LedgerVerifier.verify(path: path) { number in
                if number > 0, number % 10_000 == 0 {
                    DescriptorOutput.standardError("verified \(number) blocks\n")
                }
            }
        } catch {
            throw CLIFailure(.other, "cannot verify \(path): \(error)")
        }
        print(json ? jsonDocument(report) : text(report))
        if let inconsistency = report.firstInconsistency {
            throw CLIFailure(.other, "\(path) is inconsistent: \(inconsistency)")
        }
        if let archive { try verifyArchive(archive) }
    }

    /// Checks `archive` against the ledger at `path`.
    private func verifyArchive(_ archive: String) throws {
        let ledger = try LedgerFileOption.open(path)
        defer { ledger.close() }
        do {
            let summary = try BlockArchive.verify(archive: archive, against: ledger)
            if !json { print("\(archive): blocks \(summary.firstBlock)…\(summary.firstBlock + summary.blocks - 1) match the ledger's headers") }
        } catch {
            throw CLIFailure(.other, "\(archive) does not match \(path): \(error)")
        }
    }

    /// Checks the snapshot folder at `path` (`weft ledger snapshot`) and, when it has one, the
    /// producing peer's signature over its snapshot hash.
    private func verifySnapshot() throws {
        let manifest: SnapshotManifest
        let signer: Certificate?
        let signature: SnapshotSignature?
        do {
            manifest = try SnapshotManifest.verify(folder: path)
            signature = try SnapshotSignature.read(folder: path)
            signer = try signature?.verify(against: manifest, folder: path)
        } catch {
            if json {
                print(JSONValue.object(["path": .string(path), "consistent": .bool(false), "problem": .string("\(error)")]).text)
            } else {
                print("\(path): INCONSISTENT — \(error)")
            }
            throw CLIFailure(.other, "\(path) is not a sound snapshot: \(error)")
        }
        if json {
            print(JSONValue.object([
                "path": .string(path), "consistent": .bool(true), "channel": .string(manifest.channel),
                "height": .unsigned(manifest.height), "snapshotHash": .string(manifest.snapshotHash),
                "commitHash": .string(manifest.commitHash),
                "signed": .bool(signer != nil),
                "signer": signer.map { certificate in
                    .object(["mspID": .string(signature?.mspID ?? ""), "subject": .string("\(certificate.subject)"),
                             "issuer": .string("\(certificate.issuer)")])
                } ?? .null,
            ]).text)
        } else {
            let signed = signer.map { "signed by \($0.subject) of \(signature?.mspID ?? "") (issuer \($0.issuer)); the signature covers the snapshot hash" }
                ?? "unsigned (written from a ledger file; a snapshot a peer writes over its admin RPC is signed)"
            print("""
                \(path): consistent snapshot of \(manifest.channel) at height \(manifest.height)
                snapshot hash \(manifest.snapshotHash)
                commit hash   \(manifest.commitHash)
                \(signed)
                """)
        }
    }

    private func text(_ report: LedgerVerificationReport) -> String {
        if let inconsistency = report.firstInconsistency {
            return "\(path): INCONSISTENT — \(inconsistency) (\(report.blocksVerified) of \(report.height) blocks verified before it)"
        }
        return """
            \(path): consistent — \(report.height) blocks
            current hash \(Hex.encode(report.chainInfo.currentBlockHash))
            commit hash  \(Hex.encode(report.chainInfo.commitHash))
            """ + (report.prunedBelow > 0 ? "\npruned below block \(report.prunedBelow): headers, links, flags and txIDs checked there" : "")
    }

    private func jsonDocument(_ report: LedgerVerificationReport) -> String {
        var document: [String: JSONValue] = [
            "path": .string(path),
            "consistent": .bool(report.isConsistent),
            "height": .unsigned(report.height),
            "blocksVerified": .unsigned(report.blocksVerified),
            "currentHash": .string(Hex.encode(report.chainInfo.currentBlockHash)),
            "commitHash": .string(Hex.encode(report.chainInfo.commitHash)),
            "firstInconsistency": .null,
            "prunedBelow": .unsigned(report.prunedBelow),
        ]
        if let inconsistency = report.firstInconsistency {
            document["firstInconsistency"] = .object([
                "blockNumber": inconsistency.blockNumber.map { .unsigned($0) } ?? .null,
                "problem": .string(inconsistency.problem),
            ])
        }
        return JSONValue.object(document).text
    }
}
