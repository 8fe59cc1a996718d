import WeftCore

extension LedgerSnapshot {
    /// The keys of `namespace` in `[startKey, endKey)`, in UTF-8 byte order, one page at a time.
    ///
    /// As in Fabric, an empty `startKey` starts after the composite keys (which begin with U+0000), so a
    /// plain range never returns them; an empty `endKey` means no upper bound. Pass the returned
    /// `bookmark` to continue; `pageSize` above `maxPageSize` is capped.
    public func range(
        namespace: String, startKey: String, endKey: String, pageSize: Int, bookmark: String? = nil
    ) throws(LedgerError) -> StatePage {
        let start = startKey.isEmpty ? [0x01] : Array(startKey.utf8)
        let end = endKey.isEmpty ? nil : Array(endKey.utf8)
        return try scan(namespace: namespace, start: start, end: end, pageSize: pageSize, bookmark: bookmark)
    }

    /// The composite keys of `namespace` for `objectType` whose leading attributes are `attributes`
    /// (`CompositeKey`), in key order, one page at a time.
    public func compositeKeyScan(
        namespace: String, objectType: String, attributes: [String] = [], pageSize: Int, bookmark: String? = nil
    ) throws(LedgerError) -> StatePage {
        let prefix = Array(try CompositeKey.make(objectType: objectType, attributes: attributes).utf8)
        // Every key with the prefix sorts before the prefix with its final 0x00 raised to 0x01.
        let end = Array(prefix.dropLast()) + [0x01]
        return try scan(namespace: namespace, start: prefix, end: end, pageSize: pageSize, bookmark: bookmark)
    }

    private func scan(
        namespace: String, start: [UInt8], end: [UInt8]?, pageSize requested: Int, bookmark: String?
    ) throws(LedgerError) -> StatePage {
        let pageSize = try effectivePageSize(requested)
        var lower = start
        if let bookmark, !bookmark.isEmpty {
            guard let last = Hex.decode(bookmark) else {
                throw .invalidArgument("bookmark \(bookmark.debugDescription) is not one returned by a range scan")
            }
            // The smallest key after `last` is `last ‖ 0x00`.
            let after = last + [0]
            if !after.lexicographicallyPrecedes(lower) { lower = after }
        }
        return try withConnection { (connection) throws(LedgerError) in
            let sql = end == nil
                ? "SELECT key, value, block, tx FROM state WHERE namespace = ?1 AND key >= ?2 ORDER BY key LIMIT ?4"
                : "SELECT key, value, block, tx FROM state WHERE namespace = ?1 AND key >= ?2 AND key < ?3 ORDER BY key LIMIT ?4"
            let statement = try connection.prepared(sql)
            defer { statement.reset() }
            try statement.bind(1, text: namespace)
            try statement.bind(2, blob: lower)
            if let end { try statement.bind(3, blob: end) }
            try statement.bind(4, Int64(pageSize + 1))
            var entries: [StateEntry] = []
            var lastKey: [UInt8] = []
            var hasMore = false
            while try statement.step() {
                if entries.count == pageSize {
                    hasMore = true
                    break
                }
                lastKey = statement.blob(0)
                entries.append(StateEntry(
                    key: String(decoding: lastKey, as: UTF8.self), value: statement.blob(1), version: Self.version(statement, 2)))
            }
            return StatePage(entries: entries, bookmark: hasMore ? Hex.encode(lastKey) : nil, pageSize: pageSize)
        }
    }
}
