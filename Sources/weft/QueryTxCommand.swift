import ArgumentParser
import Ledger
import WeftCore
import WeftCommandLine

/// `weft query tx TXID`: where a transaction is and its validation code.
struct QueryTxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx", abstract: "Show a transaction's block, position and validation code.",
        discussion: "Example:\n  weft query tx 3f2a… --dir ./weft-net --json")

    @OptionGroup var client: ClientOptions

    @Argument(help: "The transaction id (hex).")
    var txID: String

    func run() async throws {
        guard case .transaction(let found) = try await client.run(.transaction(txID)) else { throw CLIFailure(.other, "unexpected answer") }
        guard let record = found else { throw CLIFailure(.other, "transaction \(txID) is not in the ledger") }
        let status = record.status
        let output = QueryOutput.TransactionInfo(txID: status.txID, blockNumber: status.blockNumber, txNumber: status.txNumber,
                                                 validationCode: status.validationCode.name, envelopeBytes: record.envelope.count)
        try QueryOutput.emit(output, json: client.json, lines: [
            "\(output.validationCode) \(output.txID) in block \(output.blockNumber) at position \(output.txNumber)",
        ])
    }
}
