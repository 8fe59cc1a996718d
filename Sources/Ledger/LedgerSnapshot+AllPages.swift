import WeftCore

extension LedgerSnapshot {
    /// Keys in `[start, end)` of `namespace` in key order, at most `limit`, read page by page (pages are
    /// capped at `maxPageSize`) — for callers that need a whole range, such as simulation and MVCC.
    public func entries(namespace: String, from start: String, to end: String, limit: Int = .max) throws(LedgerError) -> [StateEntry] {
        var entries: [StateEntry] = []
        var bookmark: String?
        repeat {
            let page = try range(namespace: namespace, startKey: start, endKey: end,
                                 pageSize: min(limit - entries.count, maxPageSize), bookmark: bookmark)
            entries += page.entries
            bookmark = page.bookmark
        } while bookmark != nil && entries.count < limit
        return entries
    }
}
