import WeftCore

/// The valid writes of one block, arranged for committing: sorted by key so that consecutive b-tree
/// changes touch neighbouring pages.
struct BlockWriteSet {
    /// One write with the position of the transaction that made it.
    struct Entry {
        let key: ByteKey
        let position: Int
        let write: KVWrite
    }

    /// The history rows: for every valid transaction, its last write to each key; sorted by key, then
    /// position.
    let history: [Entry]
    /// The state changes: the last write to each key across the block, sorted by key. Their writes are
    /// the commit hash's net writes (`CommitHash.netWrites`).
    let net: [Entry]

    init(_ transactions: [CommittedTransaction]) {
        var entries: [(entry: Entry, index: Int)] = []
        for (position, transaction) in transactions.enumerated() where transaction.validationCode.isValid {
            for (index, write) in transaction.writes.enumerated() {
                entries.append((Entry(key: ByteKey(write), position: position, write: write), index))
            }
        }
        entries.sort { a, b in
            if a.entry.key != b.entry.key { return a.entry.key < b.entry.key }
            if a.entry.position != b.entry.position { return a.entry.position < b.entry.position }
            return a.index < b.index
        }
        var history: [Entry] = []
        var net: [Entry] = []
        history.reserveCapacity(entries.count)
        for (offset, item) in entries.enumerated() {
            let next = offset + 1 < entries.count ? entries[offset + 1].entry : nil
            let sameKeyFollows = next?.key == item.entry.key
            if !(sameKeyFollows && next?.position == item.entry.position) { history.append(item.entry) }
            if !sameKeyFollows { net.append(item.entry) }
        }
        self.history = history
        self.net = net
    }
}
