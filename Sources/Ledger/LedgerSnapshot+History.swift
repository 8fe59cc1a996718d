import WeftCore

extension LedgerSnapshot {
    /// Every modification of `key` in `namespace` by a valid transaction — value or delete, with the
    /// txID and (block, tx) — in the requested order, one page at a time.
    public func history(
        namespace: String, key: String, order: HistoryOrder = .oldestFirst, pageSize: Int, bookmark: String? = nil
    ) throws(LedgerError) -> HistoryPage {
        let pageSize = try effectivePageSize(pageSize)
        let after = try Self.parseHistoryBookmark(bookmark)
        let sql: String
        switch order {
        case .oldestFirst:
            sql = """
                SELECT h.block, h.tx, h.value, t.tx_id FROM history h INDEXED BY history_by_key
                JOIN transactions t ON t.id = (h.block << 24) | h.tx
                WHERE h.namespace = ?1 AND h.key = ?2 AND (h.block, h.tx) > (?3, ?4)
                ORDER BY h.block, h.tx LIMIT ?5
                """
        case .newestFirst:
            sql = """
                SELECT h.block, h.tx, h.value, t.tx_id FROM history h INDEXED BY history_by_key
                JOIN transactions t ON t.id = (h.block << 24) | h.tx
                WHERE h.namespace = ?1 AND h.key = ?2 AND (h.block, h.tx) < (?3, ?4)
                ORDER BY h.block DESC, h.tx DESC LIMIT ?5
                """
        }
        return try withConnection { (connection) throws(LedgerError) in
            let statement = try connection.prepared(sql)
            defer { statement.reset() }
            try statement.bind(1, text: namespace)
            try statement.bind(2, utf8Blob: key)
            switch (order, after) {
            case let (_, .some(version)):
                try statement.bind(3, Int64(bitPattern: version.blockNumber))
                try statement.bind(4, Int64(version.txNumber))
            case (.oldestFirst, nil):
                try statement.bind(3, Int64(-1))
                try statement.bind(4, Int64(-1))
            case (.newestFirst, nil):
                try statement.bind(3, Int64.max)
                try statement.bind(4, Int64.max)
            }
            try statement.bind(5, Int64(pageSize + 1))
            var entries: [KeyModification] = []
            var hasMore = false
            while try statement.step() {
                if entries.count == pageSize {
                    hasMore = true
                    break
                }
                entries.append(KeyModification(
                    txID: statement.text(3), version: Self.version(statement, 0),
                    value: statement.isNull(2) ? nil : statement.blob(2)))
            }
            let bookmark = hasMore ? entries.last.map { "\($0.version.blockNumber):\($0.version.txNumber)" } : nil
            return HistoryPage(entries: entries, bookmark: bookmark, pageSize: pageSize)
        }
    }

    /// A history bookmark is "block:tx" of the last entry returned.
    private static func parseHistoryBookmark(_ bookmark: String?) throws(LedgerError) -> Version? {
        guard let bookmark, !bookmark.isEmpty else { return nil }
        let parts = bookmark.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let block = UInt64(parts[0]), block <= UInt64(Int64.max), let tx = UInt32(parts[1]) else {
            throw .invalidArgument("bookmark \(bookmark.debugDescription) is not one returned by a history query")
        }
        return Version(blockNumber: block, txNumber: tx)
    }
}
