import ArgumentParser
import EVM
import Execution
import WeftCommandLine

/// `weft evm deploy|call|query|address`: contracts deployed and called by ordinary transactions.
struct EVMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evm",
        abstract: "Deploy and call EVM contracts (the `evm` chaincode) with Solidity-ABI arguments.",
        subcommands: [EVMDeployCommand.self, EVMCallCommand.self, EVMQueryCommand.self, EVMAddressCommand.self]
    )
}

/// The contract call `evm call` and `evm query` take.
struct EVMCallOptions: ParsableArguments {
    @Option(help: "The contract address (0x…).") var contract: String
    @Option(help: "The function signature, e.g. 'transfer(address,uint256)'.") var function: String?
    @Option(parsing: .upToNextOption, help: "The arguments as text: numbers, 0x addresses, true/false, strings.") var args: [String] = []
    @Option(help: "Raw calldata in hex (0x…), for calls no signature can express; instead of --function and --args.") var calldata: String?
    @Option(help: "Return types to decode, e.g. '(uint256)'; raw hex when absent.") var returns: String?

    func validate() throws {
        guard (function == nil) != (calldata == nil) else { throw ValidationError("pass --function (with --args) or --calldata, not both") }
        guard calldata == nil || args.isEmpty else { throw ValidationError("--args goes with --function; --calldata is the whole input") }
    }

    /// The `call` arguments of the evm chaincode: the contract address and the calldata in hex.
    func chaincodeArguments() throws -> [String] {
        do {
            if let calldata {
                let hex = calldata.hasPrefix("0x") ? String(calldata.dropFirst(2)) : calldata
                guard hex.count % 2 == 0, hex.allSatisfy(\.isHexDigit) else { throw CLIFailure(.usage, "--calldata \(calldata.prefix(40)) is not hex") }
                guard let address = Address(hex: contract) else { throw CLIFailure(.usage, "--contract \(contract) is not an address (0x and 40 hex digits)") }
                return [address.description, "0x" + hex.lowercased()]
            }
            return try EVMChaincode.callArguments(contract: contract, signature: function ?? "", arguments: args)
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(.usage, "\(error)")
        }
    }

    /// What the call is, for messages.
    var label: String { function ?? "calldata" }
}
