import ArgumentParser
import Foundation
import WeftNode

/// The `weft` command: one executable for every role (see docs/CLI.md).
@main
struct Weft: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weft",
        abstract: "Weft: a permissioned ledger node — peers, orderers and the client in one binary.",
        discussion: """
        Examples:
          weft version
        """,
        version: WeftVersion.current,
        subcommands: [
            VersionCommand.self,
            PeerCommand.self,
            OrdererCommand.self,
            NetworkCommand.self,
            TxCommand.self,
            QueryCommand.self,
            EVMCommand.self,
            BenchCommand.self,
            KeygenCommand.self,
            LedgerCommand.self,
            CryptoCommand.self,
        ]
    )

    /// Runs the command line with Weft's exit statuses: 0 done, 1 wrong usage, 2 transaction invalid,
    /// 3 node unreachable or refused, 4 anything else.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withWeftError: error)
        }
    }

    private static func exit(withWeftError error: Error) -> Never {
        if let failure = error as? CLIFailure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            Foundation.exit(failure.status.rawValue)
        }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            print(message)
            Foundation.exit(0)
        }
        if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
        // ArgumentParser reports usage errors as 64 (EX_USAGE); Weft's convention is 1.
        let isUsage = code == .validationFailure
        Foundation.exit(isUsage ? ExitStatus.usage.rawValue : (code.rawValue == 0 ? 0 : ExitStatus.other.rawValue))
    }
}
