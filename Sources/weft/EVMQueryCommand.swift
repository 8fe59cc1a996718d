import ArgumentParser
import Execution
import WeftClient
import WeftCore
import WeftCommandLine

/// `weft evm query`: call a contract function at one peer without ordering it.
struct EVMQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Call a contract function at one peer without a transaction (a read).",
        discussion: """
        Example:
          weft evm query --dir ./weft-net --contract 0x… --function 'balanceOf(address)' --args 0xabc… --returns '(uint256)'
        """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var call: EVMCallOptions

    func run() async throws {
        let arguments = try call.chaincodeArguments()
        let gateway = try client.gateway()
        defer { Task { await gateway.close() } }
        let response: ChaincodeResponse
        do {
            response = try await gateway.evaluate(chaincode: EVMChaincode.name, function: "call",
                                                  arguments: arguments.map { Array($0.utf8) }, peer: client.peer)
        } catch {
            throw client.failure(error)
        }
        guard response.isSuccess else { throw CLIFailure(.other, "\(call.label) failed (status \(response.status)): \(response.message)") }
        try EVMTransactions.printResult(response.payload, returns: call.returns, json: client.json)
    }
}
