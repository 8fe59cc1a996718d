import ArgumentParser
import Ledger
import WeftClient

/// `weft query <what>`: read a peer's ledger.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Read a peer's ledger: chain info, blocks, transactions, state, history, proofs.",
        subcommands: [
            QueryInfoCommand.self, QueryBlockCommand.self, QueryTxCommand.self, QueryStateCommand.self,
            QueryRangeCommand.self, QueryHistoryCommand.self, QueryRichCommand.self, QueryProofCommand.self, QueryEventsCommand.self,
        ]
    )
}

/// The namespace option of state queries.
struct NamespaceOption: ParsableArguments {
    @Option(help: "The chaincode whose state to read.")
    var chaincode = "asset-transfer"
}

extension ClientOptions {
    /// Runs `query` at the chosen peer, mapping failures to CLI exit statuses.
    func run(_ query: LedgerQuery) async throws -> LedgerQueryResult {
        let gateway = try gateway()
        defer { Task { await gateway.close() } }
        do {
            return try await gateway.query(query, peer: peer)
        } catch {
            throw failure(error)
        }
    }
}
