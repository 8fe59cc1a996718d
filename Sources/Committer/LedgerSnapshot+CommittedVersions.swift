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
        var result: [(key: String, version: Version)] = []
        var bookmark: String?
        repeat {
            let page = try range(namespace: namespace, startKey: start, endKey: end, pageSize: maxPageSize, bookmark: bookmark)
            result += page.entries.map { ($0.key, $0.version) }
            bookmark = page.bookmark
        } while bookmark != nil
        return result
    }
}
