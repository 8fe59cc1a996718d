import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftNode
import WeftCommandLine

/// `weft channel update`: change a running channel's configuration (docs/governance.md).
struct ChannelUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a channel's configuration: create an update, collect administrators' signatures, submit it.",
        discussion: """
        An update names the configuration version it replaces; the orderers order it only when its \
        signatures satisfy the channel's Admins policy (default MAJORITY admin), and every node uses the \
        new configuration from the next block on.

        Example (a local network):
          weft channel update create --dir ./weft-net --channel mychannel --set batch.maxTxCount=100 --out update.bin
          weft channel update sign update.bin --dir ./weft-net --org Org1MSP
          weft channel update sign update.bin --dir ./weft-net --org Org2MSP
          weft channel update submit update.bin --dir ./weft-net --channel mychannel
        """,
        subcommands: [ChannelUpdateCreateCommand.self, ChannelUpdateSignCommand.self, ChannelUpdateSubmitCommand.self])
}

/// Reading and writing update files: a `ConfigTransaction` in its canonical encoding.
enum ConfigUpdateFile {
    static func read(_ path: String) throws -> ConfigTransaction {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure(.usage, "cannot read \(path)")
        }
        do {
            let update = try ConfigTransaction(canonicalBytes: [UInt8](data))
            _ = try update.config()
            return update
        } catch {
            throw CLIFailure(.usage, "\(path) is not a configuration update: \(error)")
        }
    }

    static func write(_ update: ConfigTransaction, to path: String) throws {
        do { try Data(update.canonicalBytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CLIFailure(.other, "cannot write \(path): \(error)")
        }
    }

    /// One line about an update: channel, versions, signers.
    static func summary(_ update: ConfigTransaction) -> String {
        guard let config = try? update.config() else { return "an unreadable update" }
        let signers = update.signatures.map(\.signer.mspID)
        return "channel \(config.name): version \(config.sequence &- 1) → \(config.sequence), signed by "
            + (signers.isEmpty ? "nobody yet" : "\(signers.count) (\(signers.joined(separator: ", ")))")
    }
}

extension ClientOptions {
    /// The configuration in force on the channel, as a peer's ledger records it: the newest valid
    /// configuration update, or the genesis block's.
    func currentConfiguration() async throws -> ConfigTransaction {
        if case .value(let recorded) = try await run(.state(namespace: "_config", key: "channel")), let recorded {
            do { return try ConfigTransaction(canonicalBytes: recorded.value) } catch {
                throw CLIFailure(.other, "the peer's recorded configuration does not decode: \(error)")
            }
        }
        guard case .block(let found) = try await run(.block(0)), let block = found else {
            throw CLIFailure(.other, "the peer has no configuration of this channel: ask another peer with --peer")
        }
        do { return try ConfigTransaction(canonicalBytes: block.data.first ?? []) } catch {
            throw CLIFailure(.other, "block 0 holds no channel configuration: \(error)")
        }
    }
}
