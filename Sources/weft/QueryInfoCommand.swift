import ArgumentParser
import Ledger
import WeftCore
import WeftCommandLine

/// `weft query info`: height, current block hash and commit hash of a peer.
struct QueryInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show a peer's height, current block hash and commit hash.",
        discussion: "Example:\n  weft query info --dir ./weft-net --peer peer0.org2 --json")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        guard case .info(let info) = try await client.run(.info) else { throw CLIFailure(.other, "unexpected answer") }
        let output = QueryOutput.Info(height: info.height, currentHash: Hex.encode(info.currentBlockHash), commitHash: Hex.encode(info.commitHash))
        try QueryOutput.emit(output, json: client.json, lines: [
            "height      \(output.height)", "currentHash \(output.currentHash)", "commitHash  \(output.commitHash)",
        ])
    }
}
