import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftClient
import WeftCore
import WeftCommandLine

/// `weft tx evaluate`: run a function at one peer without ordering it.
struct TxEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a chaincode function at one peer (a read; nothing is ordered).",
        discussion: """
        Example:
          weft tx evaluate --dir ./weft-net --chaincode asset-transfer --function ReadAsset --args asset1
        """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var call: ChaincodeCallOptions

    struct Output: Encodable {
        var status: UInt32
        var message: String
        /// The payload as text when it is UTF-8 (absent otherwise); `payloadHex` always, exactly.
        var payload: String?
        var payloadHex: String
    }

    func run() async throws {
        let gateway = try client.gateway()
        defer { Task { await gateway.close() } }
        let response: ChaincodeResponse
        do {
            response = try await gateway.evaluate(chaincode: call.chaincode, function: call.function,
                                                  arguments: try ChaincodeArguments.parse(call.args), peer: client.peer)
        } catch {
            throw client.failure(error)
        }
        let payload = String(validating: response.payload, as: UTF8.self)
        if client.json {
            try JSONOutput.print(Output(status: response.status, message: response.message, payload: payload,
                                        payloadHex: Hex.encode(response.payload)))
        } else if response.isSuccess {
            print(payload ?? "0x" + Hex.encode(response.payload))
        }
        guard response.isSuccess else {
            throw CLIFailure(.other, "\(call.chaincode).\(call.function) failed (status \(response.status)): \(response.message)")
        }
    }
}
