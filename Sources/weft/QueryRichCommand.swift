import ArgumentParser
import Ledger
import WeftCore
import WeftCommandLine

/// `weft query rich SELECTOR`: keys whose JSON value matches a selector.
struct QueryRichCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rich", abstract: "List keys whose JSON value matches a selector (docs: rich queries).",
        discussion: """
        Example:
          weft query rich '{"Owner":"alice","Size":{"$gt":3}}' --dir ./weft-net
        """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The JSON selector.") var selector: String

    func run() async throws {
        guard case let .entries(entries, _) = try await client.run(.rich(namespace: namespace.chaincode, selector: selector)) else {
            throw CLIFailure(.other, "unexpected answer")
        }
        let output = QueryOutput.Page(entries: entries.map(QueryOutput.entry), bookmark: "")
        try QueryOutput.emit(output, json: client.json, lines: output.entries.map { "\($0.key)\t\($0.printable)" })
    }
}
