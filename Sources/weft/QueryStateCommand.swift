import ArgumentParser
import Ledger
import WeftCore
import WeftCommandLine

/// `weft query state KEY`: a key's current value and version.
struct QueryStateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Show a key's committed value and version.",
        discussion: "Example:\n  weft query state asset1 --chaincode asset-transfer --dir ./weft-net")

    @OptionGroup var client: ClientOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The key.")
    var key: String

    func run() async throws {
        guard case .value(let found) = try await client.run(.state(namespace: namespace.chaincode, key: key)) else {
            throw CLIFailure(.other, "unexpected answer")
        }
        guard let value = found else { throw CLIFailure(.other, "\(namespace.chaincode) has no key \"\(key)\"") }
        let output = QueryOutput.entry(StateEntry(key: key, value: value.value, version: value.version))
        try QueryOutput.emit(output, json: client.json, lines: [output.printable])
    }
}
