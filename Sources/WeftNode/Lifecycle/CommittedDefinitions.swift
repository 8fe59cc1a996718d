import Ledger
import WeftCore

/// The chaincode definitions committed through `_lifecycle` (docs/governance.md), read from a ledger.
enum CommittedDefinitions {
    /// Every definition in `ledger`'s state, by name order.
    static func read(from ledger: Ledger) throws -> [ChaincodeDefinition] {
        try ledger.read { snapshot in
            var definitions: [ChaincodeDefinition] = []
            var bookmark: String?
            repeat {
                let page = try snapshot.range(
                    namespace: LifecycleKeys.namespace, startKey: LifecycleKeys.definitionRange.start,
                    endKey: LifecycleKeys.definitionRange.end, pageSize: 1000, bookmark: bookmark)
                for entry in page.entries { definitions.append(try ChaincodeDefinition(canonicalBytes: entry.value)) }
                bookmark = page.bookmark
            } while bookmark != nil
            return definitions
        }
    }
}
