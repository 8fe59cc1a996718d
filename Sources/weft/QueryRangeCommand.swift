import ArgumentParser
import Ledger
import WeftCore
import WeftCommandLine

/// `weft query range START END`: one page of keys in [START, END).
struct QueryRangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "range", abstract: "List keys in [START, END) (END empty: to the end), one page at a time.",
        discussion: "Example:\n  weft query range asset1 asset9 --page-size 100 --dir ./weft-net")

    @OptionGroup var client: ClientOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The first key.") var start: String
    @Argument(help: "The key after the last (empty: to the end).") var end: String = ""

    @Option(name: .customLong("page-size"), help: "Keys per page (capped by the peer).") var pageSize: UInt32 = 100
    @Option(help: "The bookmark a previous page printed.") var bookmark = ""

    func run() async throws {
        let query = LedgerQuery.range(namespace: namespace.chaincode, start: start, end: end, pageSize: pageSize, bookmark: bookmark)
        guard case let .entries(entries, next) = try await client.run(query) else { throw CLIFailure(.other, "unexpected answer") }
        let output = QueryOutput.Page(entries: entries.map(QueryOutput.entry), bookmark: next)
        try QueryOutput.emit(output, json: client.json, lines: output.entries.map { "\($0.key)\t\($0.printable)" }
            + (next.isEmpty ? [] : ["(more: --bookmark \(next))"]))
    }
}
