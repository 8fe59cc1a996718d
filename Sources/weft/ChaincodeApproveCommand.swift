import ArgumentParser
import WeftClient
import WeftCore
import WeftCommandLine

/// `weft chaincode approve`: an organization's administrator approves a chaincode definition.
struct ChaincodeApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a chaincode definition for your organization (an administrator's call).",
        discussion: """
        Submits the approval of the caller's organization, endorsed by that organization's peer. Refused \
        (exit 4, nothing ordered) when the caller is not an administrator, the sequence is not the next \
        one, the chaincode is not built into the peer or the policy does not parse. Exit 2 when the \
        approval was ordered but is invalid (e.g. CHAINCODE_VERSION_CONFLICT: another definition was \
        committed meanwhile).

        Example:
          weft chaincode approve --dir ./weft-net --org Org1MSP --name asset-transfer --chaincode-version 2 --sequence 2 --policy "AND('Org1.peer','Org2.peer')"
        """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var administrator: ChaincodeAdministrator
    @OptionGroup var definition: ChaincodeDefinitionOptions

    func run() async throws {
        try await LifecycleSubmission.run("approve", definition, as: administrator, client: client, endorsedByOwnOrganizationOnly: true)
    }
}

/// Submits a `_lifecycle` transaction as an administrator and prints its outcome as the lifecycle
/// commands do.
enum LifecycleSubmission {
    static func run(
        _ function: String, _ definition: ChaincodeDefinitionOptions, as administrator: ChaincodeAdministrator, client: ClientOptions,
        endorsedByOwnOrganizationOnly: Bool
    ) async throws {
        let client = try administrator.applied(to: client)
        let gateway = try client.gateway()
        defer { Task { await gateway.close() } }
        let result: SubmitResult
        do {
            result = try await gateway.submitDirect(
                chaincode: LifecycleKeys.namespace, function: function, arguments: definition.arguments,
                endorsers: endorsedByOwnOrganizationOnly ? [gateway.identity.mspID] : nil)
        } catch {
            throw client.failure(error)
        }
        let message = String(decoding: result.payload, as: UTF8.self)
        if client.json {
            try JSONOutput.print(["txID": JSONValue.string(result.txID), "blockNumber": .unsigned(result.blockNumber),
                                  "validationCode": .string(result.code.name), "message": .string(message)])
        } else {
            print("\(message): \(result.code.name) \(result.txID) in block \(result.blockNumber)")
        }
        guard result.code.isValid else {
            throw CLIFailure(.transactionInvalid, "transaction \(result.txID) was ordered in block \(result.blockNumber) but is invalid: \(result.code.name)")
        }
    }
}
