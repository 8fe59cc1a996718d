import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftClient
import WeftCore
import WeftCommandLine

/// `weft tx submit`: endorse, order and wait for the commit.
struct TxSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a transaction and wait until it is committed.",
        discussion: """
        Talks to one peer — the identity's organization's first that answers — whose gateway gathers the \
        endorsements its chaincode's policy needs (docs/wire.md, "The peer gateway"), broadcasts the \
        envelope this command signs, and answers when the transaction is committed (commitStatus).
        Exits 0 when the transaction is valid, 2 when it was ordered but is invalid (the code is printed),
        3 when a node could not be reached.

        With WEFT_OTLP_ENDPOINT set (e.g. http://127.0.0.1:4318) the submit is traced: its spans and the
        nodes' go to that OTLP/HTTP collector as one trace (docs/operations.md, "Traces").

        Example:
          weft tx submit --dir ./weft-net --chaincode asset-transfer --function CreateAsset --args asset1 blue 5 alice 300
          WEFT_OTLP_ENDPOINT=http://127.0.0.1:4318 weft tx submit --dir ./weft-net --chaincode asset-transfer --function CreateAsset --args asset2 red 3 bob 100
        """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var call: ChaincodeCallOptions

    @Option(help: "Seconds to wait for the commit.")
    var timeout = 30

    struct Output: Encodable {
        var txID: String
        var blockNumber: UInt64
        var validationCode: String
        /// The payload as text when it is UTF-8; absent otherwise (`payloadHex` always has it exactly).
        var payload: String?
        var payloadHex: String
        var event: EventOutput?
    }

    /// A chaincode event, its payload in hex.
    struct EventOutput: Encodable {
        var chaincode: String
        var name: String
        var payloadHex: String

        init(_ event: ChaincodeEvent) {
            chaincode = event.chaincode
            name = event.name
            payloadHex = Hex.encode(event.payload)
        }
    }

    func run() async throws {
        let gateway = try client.gateway()
        defer { Task { await gateway.close() } }
        let result: SubmitResult
        do {
            let arguments = try ChaincodeArguments.parse(call.args)
            result = try await ProcessTracing.client {
                try await gateway.submit(chaincode: call.chaincode, function: call.function,
                                                    arguments: arguments, timeout: .seconds(timeout))
            }
        } catch {
            throw client.failure(error)
        }
        let payload = String(validating: result.payload, as: UTF8.self)
        if client.json {
            try JSONOutput.print(Output(txID: result.txID, blockNumber: result.blockNumber, validationCode: result.code.name,
                                        payload: payload, payloadHex: Hex.encode(result.payload), event: result.event.map(EventOutput.init)))
        } else {
            print("\(result.code.name) \(result.txID) in block \(result.blockNumber)")
            if let payload, !payload.isEmpty { print(payload) } else if !result.payload.isEmpty { print("0x" + Hex.encode(result.payload)) }
            if let event = result.event { print("event \(event.name) from \(event.chaincode): 0x\(Hex.encode(event.payload))") }
        }
        if !result.code.isValid {
            throw CLIFailure(.transactionInvalid, "transaction \(result.txID) was ordered in block \(result.blockNumber) but is invalid: \(result.code.name)")
        }
    }
}
