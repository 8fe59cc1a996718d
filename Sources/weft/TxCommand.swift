import ArgumentParser

/// `weft tx <verb>`.
struct TxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx",
        abstract: "Submit transactions or evaluate queries through chaincode.",
        subcommands: [TxSubmitCommand.self, TxEvaluateCommand.self]
    )
}

/// The chaincode call both `tx submit` and `tx evaluate` take.
struct ChaincodeCallOptions: ParsableArguments {
    @Option(help: "The chaincode, e.g. asset-transfer or smallbank.")
    var chaincode: String

    @Option(help: "The function, e.g. CreateAsset.")
    var function: String

    @Option(parsing: .upToNextOption, help: "The arguments: --args asset1 blue 5 alice 300, or one JSON array.")
    var args: [String] = []
}
