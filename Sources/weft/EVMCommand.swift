import ArgumentParser

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
    @Option(help: "The function signature, e.g. 'transfer(address,uint256)'.") var function: String
    @Option(parsing: .upToNextOption, help: "The arguments as text: numbers, 0x addresses, true/false, strings.") var args: [String] = []
    @Option(help: "Return types to decode, e.g. '(uint256)'; raw hex when absent.") var returns: String?
}
