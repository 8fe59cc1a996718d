import ArgumentParser
import WeftNode

/// `weft chaincode checkcommitreadiness`: which organizations approved a definition.
struct ChaincodeReadinessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkcommitreadiness", abstract: "Show which organizations approved a chaincode definition, and whether it can be committed.",
        discussion: """
        Asks one peer (the caller's organization's, or --peer). Exit 0 whether or not the definition is \
        ready; `ready` says whether the approvals satisfy the LifecycleEndorsement policy.

        Example:
          weft chaincode checkcommitreadiness --dir ./weft-net --name asset-transfer --chaincode-version 2 --sequence 2 --policy "AND('Org1.peer','Org2.peer')" --json
        """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var definition: ChaincodeDefinitionOptions

    func run() async throws {
        let (readiness, json) = try await LifecycleQuery.run("checkcommitreadiness", arguments: definition.arguments, client: client, as: CommitReadiness.self)
        if client.json {
            print(String(decoding: json, as: UTF8.self))
            return
        }
        let proposed = readiness.definition
        print("\(proposed.name) version \(proposed.version) sequence \(proposed.sequence), policy \(proposed.policy):")
        for (mspID, approved) in readiness.approvals.sorted(by: { $0.key < $1.key }) {
            print("  \(mspID): \(approved ? "approved" : "not approved")")
        }
        print("ready to commit: \(readiness.ready ? "yes" : "no") (LifecycleEndorsement \(readiness.policy))")
    }
}
