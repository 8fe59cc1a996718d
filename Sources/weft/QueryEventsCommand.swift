import ArgumentParser
import WeftClient
import WeftCore
import WeftCommandLine

/// `weft query events --chaincode C`: one chaincode's events, filtered by the peer (`chaincodeEvents`).
struct QueryEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Follow one chaincode's events from a block on, filtered by the peer.",
        discussion: """
        Prints each event of the chaincode's valid transactions, from block --from on: the block, the \
        transaction and the event's name and payload (text when UTF-8, else hex). With --json, one JSON \
        object per line. Stops after --count events, or follows new blocks until interrupted.

        Example:
          weft query events --dir ./weft-net --chaincode asset-transfer --from 0 --count 10 --json
        """)

    @OptionGroup var client: ClientOptions
    @Option(help: "The chaincode whose events to follow.") var chaincode: String
    @Option(help: "The first block to look at.") var from: UInt64 = 0
    @Option(help: "Stop after this many events (default: follow until interrupted).") var count: Int?

    /// One event as printed with --json.
    struct EventLine: Encodable {
        var blockNumber: UInt64
        var txID: String
        var chaincode: String
        var name: String
        var payload: String?
        var payloadHex: String
    }

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let gateway = try client.gateway()
        defer { Task { await gateway.close() } }
        var printed = 0
        do {
            for try await item in try await gateway.chaincodeEvents(chaincode, from: from, peer: client.peer) {
                let block = try BlockEvents(canonicalBytes: item)
                for transaction in block.transactions {
                    guard let event = transaction.chaincodeEvent else { continue }
                    let line = EventLine(blockNumber: block.blockNumber, txID: transaction.txID, chaincode: event.chaincode, name: event.name,
                                         payload: String(validating: event.payload, as: UTF8.self), payloadHex: Hex.encode(event.payload))
                    if client.json {
                        try JSONOutput.print(line)
                    } else {
                        print("block \(line.blockNumber) \(line.txID) \(line.name): \(line.payload ?? "0x" + line.payloadHex)")
                    }
                    printed += 1
                    if let count, printed >= count { return }
                }
            }
        } catch let error as CLIFailure {
            throw error
        } catch {
            throw client.failure(error)
        }
    }
}
