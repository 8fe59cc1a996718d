import Ledger
import WeftCore

/// MVCC reads committed versions from a ledger snapshot taken before the block.
extension LedgerSnapshot: CommittedVersions {
    public func committedVersions(of keys: [StateKey]) throws -> [StateKey: Version] {
        var result: [StateKey: Version] = [:]
        for (key, version) in zip(keys, try versions(of: keys)) where version != nil { result[key] = version }
        return result
    }

    public func keyVersions(namespace: String, from start: String, to end: String) throws -> [(key: String, version: Version)] {
        try entries(namespace: namespace, from: start, to: end).map { ($0.key, $0.version) }
    }
}
