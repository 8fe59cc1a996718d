import ArgumentParser
import Ledger
import WeftCore
import WeftCommandLine

/// `weft query history KEY`: every committed change of a key.
struct QueryHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List a key's committed changes (newest first unless --oldest-first).",
        discussion: "Example:\n  weft query history asset1 --dir ./weft-net --json")

    @OptionGroup var client: ClientOptions
    @OptionGroup var namespace: NamespaceOption

    @Argument(help: "The key.") var key: String

    @Flag(name: .customLong("oldest-first"), help: "Oldest change first.") var oldestFirst = false
    @Option(name: .customLong("page-size"), help: "Changes per page.") var pageSize: UInt32 = 100
    @Option(help: "The bookmark a previous page printed.") var bookmark = ""

    func run() async throws {
        let query = LedgerQuery.history(namespace: namespace.chaincode, key: key, newestFirst: !oldestFirst, pageSize: pageSize, bookmark: bookmark)
        guard case let .history(changes, next, prunedBelow) = try await client.run(query) else { throw CLIFailure(.other, "unexpected answer") }
        let output = QueryOutput.History(changes: changes.map {
            QueryOutput.Change(txID: $0.txID, blockNumber: $0.version.blockNumber, txNumber: $0.version.txNumber,
                               isDelete: $0.isDelete, value: $0.value.flatMap(QueryOutput.text), valueHex: $0.value.map { Hex.encode($0) })
        }, bookmark: next, prunedBelow: prunedBelow)
        try QueryOutput.emit(output, json: client.json, lines: output.changes.map {
            "block \($0.blockNumber):\($0.txNumber)  \($0.isDelete ? "DELETED" : $0.value ?? "0x" + ($0.valueHex ?? ""))  \($0.txID)"
        } + (next.isEmpty ? [] : ["(more: --bookmark \(next))"])
          + (prunedBelow.map { ["(older changes were pruned: this peer keeps key history from block \($0) on)"] } ?? []))
    }
}
