import ArgumentParser
import Ledger
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft query block N`: a block's header, commit hash and transactions with their codes.
struct QueryBlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block", abstract: "Show block N: hashes and each transaction's validation code.",
        discussion: "Example:\n  weft query block 1 --dir ./weft-net")

    @OptionGroup var client: ClientOptions

    @Argument(help: "The block number.")
    var number: UInt64

    func run() async throws {
        guard case .block(let found) = try await client.run(.block(number)) else { throw CLIFailure(.other, "unexpected answer") }
        guard let block = found else { throw CLIFailure(.other, "block \(number) is not in the ledger yet (see `weft query info`)") }
        let transactions = block.data.enumerated().map { index, bytes in
            let txID = (try? Envelope(canonicalBytes: bytes).transaction().signedProposal.proposal().header.txID) ?? "(undecodable)"
            let code = index < block.metadata.validationFlags.count ? block.metadata.validationFlags[index] : .notValidated
            return QueryOutput.TransactionSummary(txID: txID, txNumber: index, validationCode: code.name)
        }
        let output = QueryOutput.BlockInfo(
            blockNumber: block.number, currentHash: Hex.encode(block.header.hash), previousHash: Hex.encode(block.header.previousHash),
            dataHash: Hex.encode(block.header.dataHash), commitHash: Hex.encode(block.metadata.commitHash), transactions: transactions)
        try QueryOutput.emit(output, json: client.json, lines: [
            "block \(output.blockNumber)  hash \(output.currentHash)",
            "previous \(output.previousHash)", "data     \(output.dataHash)", "commit   \(output.commitHash)",
        ] + transactions.map { "  \($0.txNumber)  \($0.validationCode)  \($0.txID)" })
    }
}
