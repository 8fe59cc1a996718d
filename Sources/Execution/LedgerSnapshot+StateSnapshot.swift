import Ledger
import WeftCrypto
import WeftCore

/// The ledger's read snapshot is what endorsement simulates on. Scans and history are read page by
/// page (the ledger caps its pages) until `limit` is reached.
extension LedgerSnapshot: StateSnapshot {
    public var height: UInt64 { chainInfo.height }

    public func scan(namespace: String, from start: String, to end: String, limit: Int) throws -> [StateEntry] {
        try entries(namespace: namespace, from: start, to: end, limit: limit)
    }

    public func query(namespace: String, selector: String, limit: Int) throws -> [StateEntry] {
        do {
            return Array(try richQuery(namespace: namespace, json: selector).prefix(limit))
        } catch .invalidQuery(let reason) {
            throw StateQueryError(reason)
        }
    }

    public func blockHash(number: UInt64) throws -> [UInt8]? {
        guard number < height else { return nil }
        return try block(number: number)?.header.hash
    }

    public func history(namespace: String, key: String, limit: Int) throws -> [KeyModification] {
        var entries: [KeyModification] = []
        var bookmark: String?
        repeat {
            let page = try history(namespace: namespace, key: key, order: .newestFirst,
                                   pageSize: min(limit - entries.count, maxPageSize), bookmark: bookmark)
            entries += page.entries
            bookmark = page.bookmark
        } while bookmark != nil && entries.count < limit
        return entries
    }
}
