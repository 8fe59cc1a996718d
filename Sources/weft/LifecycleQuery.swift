#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCommandLine

/// Evaluates a `_lifecycle` query at one peer and decodes its JSON answer.
enum LifecycleQuery {
    static func run<Answer: Decodable>(_ function: String, arguments: [[UInt8]], client: ClientOptions, as: Answer.Type) async throws -> (answer: Answer, json: [UInt8]) {
        let gateway = try client.gateway()
        defer { Task { await gateway.close() } }
        let response: ChaincodeResponse
        do {
            response = try await gateway.evaluate(chaincode: LifecycleKeys.namespace, function: function, arguments: arguments, peer: client.peer)
        } catch {
            throw client.failure(error)
        }
        guard response.isSuccess else {
            throw CLIFailure(.other, "\(function) refused (status \(response.status)): \(response.message)")
        }
        do {
            return (try JSONDecoder().decode(Answer.self, from: Data(response.payload)), response.payload)
        } catch {
            throw CLIFailure(.other, "the peer's answer to \(function) does not decode: \(error)")
        }
    }
}
