import ArgumentParser
import EVM
import Execution
import WeftCore
import WeftCommandLine

/// `weft evm call`: call a contract function by a transaction.
struct EVMCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call a contract function by a transaction (state changes are ordered and committed).",
        discussion: """
        Example:
          weft evm call --dir ./weft-net --contract 0x… --function 'transfer(address,uint256)' --args 0xabc… 10 --returns '(bool)'
          weft evm call --dir ./weft-net --contract 0x… --calldata 0xa9059cbb… --json   # raw input; --json adds the gas used and the logs
        """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var call: EVMCallOptions

    struct Output: Encodable {
        var txID: String
        var blockNumber: UInt64
        var validationCode: String
        /// The return values, decoded as --returns, or the output in hex.
        var values: [String]
        var outputHex: String
        /// Gas the call used, intrinsic gas included and refunds deducted.
        var gasUsed: UInt64?
        var logs: [LogOutput]
    }

    /// One log the call emitted, in emission order: topics and data in hex.
    struct LogOutput: Encodable {
        var address: String
        var topics: [String]
        var data: String

        init(_ log: Log) {
            address = log.address.description
            topics = log.topics.map { "0x" + Hex.encode($0.bigEndianBytes) }
            data = "0x" + Hex.encode(log.data)
        }
    }

    func run() async throws {
        let arguments = try call.chaincodeArguments()
        let result = try await EVMTransactions.submit(client, function: "call", arguments: arguments)
        let values = try EVMTransactions.values(result.payload, returns: call.returns)
        let receipt = try result.event.map { try EVMReceipt(event: $0) }
        let logs = receipt?.logs ?? []
        if client.json {
            try JSONOutput.print(Output(txID: result.txID, blockNumber: result.blockNumber, validationCode: result.code.name,
                                        values: values, outputHex: Hex.encode(result.payload), gasUsed: receipt?.gasUsed,
                                        logs: logs.map(LogOutput.init)))
        } else {
            print("\(result.code.name) \(result.txID) in block \(result.blockNumber)")
            for value in values { print(value) }
            if let gasUsed = receipt?.gasUsed { print("gas used \(gasUsed)") }
            for log in logs.map(LogOutput.init) {
                print("log \(log.address) topics [\(log.topics.joined(separator: ", "))] data \(log.data)")
            }
        }
        if !result.code.isValid { throw CLIFailure(.transactionInvalid, "the call transaction is invalid: \(result.code.name)") }
    }
}
