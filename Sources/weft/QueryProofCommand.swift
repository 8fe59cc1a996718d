import ArgumentParser
import Ledger
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft query proof TXID`: a Merkle inclusion proof of a transaction in its block, verified here.
struct QueryProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof", abstract: "Fetch and verify a transaction's Merkle inclusion proof against its block header.",
        discussion: "Example:\n  weft query proof 3f2a… --dir ./weft-net --json")

    @OptionGroup var client: ClientOptions

    @Argument(help: "The transaction id (hex).") var txID: String

    struct Output: Encodable {
        var txID: String
        var blockNumber: UInt64
        var txNumber: UInt32
        var treeSize: UInt64
        var dataHash: String
        var auditPath: [String]
        var verified: Bool
    }

    func run() async throws {
        guard case .proof(let found) = try await client.run(.proof(txID)) else { throw CLIFailure(.other, "unexpected answer") }
        guard let proof = found else { throw CLIFailure(.other, "transaction \(txID) is not in the ledger") }
        let verified = (try? proof.verify()) != nil
        let output = Output(txID: proof.txID, blockNumber: proof.header.number, txNumber: proof.txNumber, treeSize: proof.treeSize,
                            dataHash: Hex.encode(proof.header.dataHash), auditPath: proof.auditPath.map { Hex.encode($0) }, verified: verified)
        try QueryOutput.emit(output, json: client.json, lines: [
            "transaction \(output.txID) is leaf \(output.txNumber) of \(output.treeSize) in block \(output.blockNumber)",
            "data hash \(output.dataHash)", "audit path:",
        ] + output.auditPath.map { "  \($0)" } + [verified ? "proof verified" : "PROOF DOES NOT VERIFY"])
        if !verified { throw CLIFailure(.other, "the inclusion proof of \(txID) does not verify against its block header") }
    }
}
