import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeftCore
import WeftNode
import WeftCommandLine

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
            NetworkCommand.self, ChannelCommand.self, ChaincodeCommand.self,
            TxCommand.self,
            QueryCommand.self,
            EVMCommand.self,
            BenchCommand.self,
            KeygenCommand.self,
            LedgerCommand.self,
            CryptoCommand.self,
            HealthcheckCommand.self,
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
            DescriptorOutput.standardError("error: \(failure.message)\n")
            terminate(failure.status.rawValue)
        }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            print(message)
            terminate(0)
        }
        if !message.isEmpty { DescriptorOutput.standardError(message + "\n") }
        // ArgumentParser reports usage errors as 64 (EX_USAGE); Weft's convention is 1.
        let isUsage = code == .validationFailure
        terminate(isUsage ? ExitStatus.usage.rawValue : (code.rawValue == 0 ? 0 : ExitStatus.other.rawValue))
    }
}

/// Ends the process with `status` (a file-level name: inside `Weft`, `exit` is its own method).
private func terminate(_ status: Int32) -> Never { exit(status) }
