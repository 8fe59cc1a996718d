import ArgumentParser
import WeftCore
import WeftNode
import WeftCommandLine

/// `weft channel update submit`: order a signed update and wait until it is in force.
struct ChannelUpdateSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a signed configuration update and wait until a peer commits it.",
        discussion: """
        The orderers refuse an update whose signatures do not satisfy the channel's Admins policy, which \
        replaces another version than the one in force, or which would leave the orderers without a \
        quorum — with the reason, and nothing is ordered (exit 4). Once ordered, the update makes a block \
        of its own; exit 0 when a peer committed it VALID, 2 when it was INVALID_CONFIG_TRANSACTION (another \
        update got in first).

        Example:
          weft channel update submit update.bin --dir ./weft-net --channel mychannel
        """)

    @Argument(help: "The signed update file.") var file: String
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let update = try ConfigUpdateFile.read(file)
        let config = try update.config()
        if let channel = client.channel, channel != config.name {
            throw CLIFailure(.usage, "\(file) updates channel '\(config.name)', not '\(channel)'")
        }
        var options = client
        options.channel = config.name
        let gateway = try options.gateway()
        defer { Task { await gateway.close() } }
        let outcome: (blockNumber: UInt64, code: ValidationCode)
        do {
            outcome = try await gateway.submitConfigurationUpdate(update.canonicalBytes, txID: update.txID)
        } catch {
            throw client.failure(error)
        }
        if client.json {
            try JSONOutput.print(["txID": JSONValue.string(update.txID), "channel": .string(config.name), "sequence": .unsigned(config.sequence),
                                  "blockNumber": .unsigned(outcome.blockNumber), "code": .string(outcome.code.name)])
        } else {
            print("channel \(config.name): configuration version \(config.sequence) \(outcome.code == .valid ? "in force" : "refused") at block \(outcome.blockNumber) (\(outcome.code.name))")
        }
        guard outcome.code == .valid else {
            throw CLIFailure(.transactionInvalid, "the update was ordered but is \(outcome.code.name): create it again from the configuration in force")
        }
    }
}
