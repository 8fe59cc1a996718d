import ArgumentParser
import Execution
import WeftCore

/// `weft evm call`: call a contract function by a transaction.
struct EVMCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call a contract function by a transaction (state changes are ordered and committed).",
        discussion: """
        Example:
          weft evm call --dir ./weft-net --contract 0x… --function 'transfer(address,uint256)' --args 0xabc… 10 --returns '(bool)'
        """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var call: EVMCallOptions

    func run() async throws {
        let arguments: [String]
        do {
            arguments = try EVMChaincode.callArguments(contract: call.contract, signature: call.function, arguments: call.args)
        } catch {
            throw CLIFailure(.usage, "\(error)")
        }
        let result = try await EVMTransactions.submit(client, function: "call", arguments: arguments)
        if !client.json { print("\(result.code.name) \(result.txID) in block \(result.blockNumber)") }
        try EVMTransactions.printResult(result.payload, returns: call.returns, json: client.json)
        if !result.code.isValid { throw CLIFailure(.transactionInvalid, "the call transaction is invalid: \(result.code.name)") }
    }
}
