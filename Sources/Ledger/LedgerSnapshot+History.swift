import WeftCore

extension LedgerSnapshot {
    /// Every modification of `key` in `namespace` by a valid transaction — value or delete, with the
    /// txID and (block, tx) — in the requested order, one page at a time.
    ///
    /// The history is walked from the key's newest entry (`HistoryChain`): a newest-first page costs one
    /// lookup per entry; an oldest-first page first walks the key's whole history.
    public func history(
        namespace: String, key: String, order: HistoryOrder = .oldestFirst, pageSize: Int, bookmark: String? = nil
    ) throws(LedgerError) -> HistoryPage {
        let pageSize = try effectivePageSize(pageSize)
        let after = try Self.parseHistoryBookmark(bookmark).map { LedgerSchema.transactionRowID(block: $0.blockNumber, position: Int($0.txNumber)) }
        return try withConnection { (connection) throws(LedgerError) in
            let retention = try Retention.read(connection)
            let chain = HistoryChain(connection, namespace: namespace, key: key, keptFrom: retention.transactionRowBound)
            var page: [HistoryChain.Entry] = []
            let hasMore: Bool
            switch order {
            case .newestFirst:
                var cursor: Int64?
                if let after { cursor = try chain.newestVersion(before: after) } else { cursor = try chain.head() }
                while page.count < pageSize, let current = cursor {
                    let entry = try chain.linkedEntry(at: current)
                    page.append(entry)
                    cursor = entry.previous
                }
                hasMore = cursor != nil
            case .oldestFirst:
                let versions = try chain.allVersions().reversed().filter { version in after.map { version > $0 } ?? true }
                for version in versions.prefix(pageSize) { page.append(try chain.linkedEntry(at: version)) }
                hasMore = versions.count > pageSize
            }
            var entries: [KeyModification] = []
            entries.reserveCapacity(page.count)
            for entry in page {
                entries.append(KeyModification(
                    txID: try chain.transactionID(at: entry.version), version: LedgerSchema.version(ofRowID: entry.version), value: entry.value))
            }
            let bookmark = hasMore ? entries.last.map { "\($0.version.blockNumber):\($0.version.txNumber)" } : nil
            // The page reaches the oldest kept entry: say whether older ones were pruned.
            let oldest = order == .newestFirst ? page.last?.version : page.first?.version
            let reachesStart = order == .newestFirst ? !hasMore : after == nil
            var pruned = false
            if reachesStart { pruned = try chain.reachesPrunedEntries(oldest) }
            return HistoryPage(entries: entries, bookmark: bookmark, pageSize: pageSize,
                               prunedBelow: pruned ? retention.prunedBelow : nil)
        }
    }

    /// A history bookmark is "block:tx" of the last entry returned.
    private static func parseHistoryBookmark(_ bookmark: String?) throws(LedgerError) -> Version? {
        guard let bookmark, !bookmark.isEmpty else { return nil }
        let parts = bookmark.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let block = UInt64(parts[0]), block < 1 << (63 - LedgerSchema.positionBits),
              let tx = UInt32(parts[1]), tx < 1 << LedgerSchema.positionBits else {
            throw .invalidArgument("bookmark \(bookmark.debugDescription) is not one returned by a history query")
        }
        return Version(blockNumber: block, txNumber: tx)
    }
}
