import ArgumentParser
import EVM
import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftClient
import WeftCore
import WeftCommandLine

/// `weft evm deploy`: deploy a contract by a transaction.
struct EVMDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy a contract's bytecode by a transaction; prints its address.",
        discussion: """
        Example (the Vyper ERC-20 in Chaincode/evm):
          weft evm deploy --dir ./weft-net --bytecode Chaincode/evm/Token.bin \\
            --constructor '(string,string,uint8,uint256)' --args Weft WFT 18 1000000
        """
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "A file with the contract's init code in hex (as `vyper -f bytecode` writes).") var bytecode: String
    @Option(help: "The constructor's parameter types, e.g. '(string,uint256)'.") var constructor = ""
    @Option(parsing: .upToNextOption, help: "The constructor's arguments as text.") var args: [String] = []

    struct Output: Encodable {
        var address: String
        var txID: String
        var blockNumber: UInt64
        var validationCode: String
        /// Gas the deployment used (from its receipt).
        var gasUsed: UInt64?
    }

    func run() async throws {
        guard let text = try? String(contentsOfFile: bytecode, encoding: .utf8),
              let initCode = Hex.decode(text.trimmingWhitespaceAndNewlines()), !initCode.isEmpty
        else { throw CLIFailure(.usage, "\(bytecode) is not a file of hex bytecode") }
        let arguments: [String]
        do {
            arguments = try EVMChaincode.deployArguments(initCode: initCode, constructorTypes: constructor, arguments: args)
        } catch {
            throw CLIFailure(.usage, "constructor arguments: \(error)")
        }
        let result = try await EVMTransactions.submit(client, function: "deploy", arguments: arguments)
        let address = (try? EVMChaincode.deployedAddress(result.payload).description) ?? ""
        if client.json {
            let gasUsed = try result.event.map { try EVMReceipt(event: $0) }?.gasUsed
            try JSONOutput.print(Output(address: address, txID: result.txID, blockNumber: result.blockNumber, validationCode: result.code.name,
                                        gasUsed: gasUsed))
        } else {
            print("deployed \(address) (\(result.code.name) \(result.txID) in block \(result.blockNumber))")
        }
        if !result.code.isValid { throw CLIFailure(.transactionInvalid, "the deploy transaction is invalid: \(result.code.name)") }
    }
}

/// Submitting to and evaluating the `evm` chaincode.
enum EVMTransactions {
    static func submit(_ client: ClientOptions, function: String, arguments: [String]) async throws -> SubmitResult {
        let gateway = try client.gateway()
        defer { Task { await gateway.close() } }
        do {
            return try await gateway.submit(chaincode: EVMChaincode.name, function: function, arguments: arguments.map { Array($0.utf8) })
        } catch {
            throw client.failure(error)
        }
    }

    /// A call's result: decoded as `returns` when given, else as hex.
    static func values(_ payload: [UInt8], returns: String?) throws -> [String] {
        try returns.map { try EVMChaincode.decodeResult(payload, returnTypes: $0) } ?? ["0x" + Hex.encode(payload)]
    }

    /// Prints a call's result: decoded as `returns` when given, else as hex.
    static func printResult(_ payload: [UInt8], returns: String?, json: Bool) throws {
        let values = try values(payload, returns: returns)
        if json {
            try JSONOutput.print(["values": values])
        } else {
            for value in values { print(value) }
        }
    }
}
