import ArgumentParser
import WeftNode
import WeftCore

/// `weft chaincode list`: the chaincode definitions in force on a channel.
struct ChaincodeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the chaincode definitions in force on a channel.",
        discussion: """
        Each definition's name, version, sequence, endorsement policy and source: `configuration` (the \
        channel's configuration, sequence 1) or `lifecycle` (committed by approvals).

        Example:
          weft chaincode list --dir ./weft-net --json
        """)

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (definitions, json) = try await LifecycleQuery.run("querydefinitions", arguments: [], client: client, as: [ChaincodeDefinitionReport].self)
        if client.json {
            print(String(decoding: json, as: UTF8.self))
            return
        }
        for definition in definitions {
            print("\(definition.name) version \(definition.version) sequence \(definition.sequence) policy \(definition.policy) (\(definition.source))")
        }
    }
}
