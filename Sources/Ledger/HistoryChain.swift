import WeftCore

/// One key's history as stored: each history row names the version of the key's previous entry
/// (`history.previous`), and the newest entry is the key's state row or, for a deleted key, its row in
/// `deleted_keys`. Walking the chain costs one primary-key lookup per entry; no index by key is needed,
/// which keeps commits from writing a page of a randomly ordered index for every write.
struct HistoryChain {
    /// One entry, as read from its history row.
    struct Entry {
        let version: Int64
        let value: [UInt8]?
        let previous: Int64?
    }

    private let connection: SQLiteConnection
    private let namespace: String
    private let key: String
    /// Entries older than this row id were pruned (`Retention`): the chain ends there.
    let keptFrom: Int64

    init(_ connection: SQLiteConnection, namespace: String, key: String, keptFrom: Int64 = 0) {
        self.connection = connection
        self.namespace = namespace
        self.key = key
        self.keptFrom = keptFrom
    }

    /// Whether walking the chain stopped at pruned entries rather than at the key's first write.
    func reachesPrunedEntries(_ oldest: Int64?) throws(LedgerError) -> Bool {
        guard keptFrom > 0 else { return false }
        guard let oldest else { return try rawHead().map { $0 < keptFrom } ?? false }
        return try storedEntry(at: oldest)?.previous != nil
    }

    /// The version of the key's newest kept entry, or nil for a key never written (or whose every
    /// entry was pruned).
    func head() throws(LedgerError) -> Int64? {
        try rawHead().flatMap { $0 >= keptFrom ? $0 : nil }
    }

    /// The version of the key's newest entry, pruned or not.
    private func rawHead() throws(LedgerError) -> Int64? {
        for table in ["state", "deleted_keys"] {
            let statement = try connection.prepared("SELECT block, tx FROM \(table) WHERE namespace = ?1 AND key = ?2")
            defer { statement.reset() }
            try statement.bind(1, text: namespace)
            try statement.bind(2, utf8Blob: key)
            if try statement.step() {
                return LedgerSchema.transactionRowID(block: UInt64(bitPattern: statement.int64(0)), position: Int(statement.int64(1)))
            }
        }
        return nil
    }

    /// The entry at `version`, or nil when the key has none there; a link to a pruned entry is cut.
    func entry(at version: Int64) throws(LedgerError) -> Entry? {
        guard let entry = try storedEntry(at: version) else { return nil }
        if let previous = entry.previous, previous >= version {
            throw .corrupt(path: connection.path, problem: "the history of \(namespace)/\(key.debugDescription) at \(LedgerSchema.version(ofRowID: version)) links forward to \(LedgerSchema.version(ofRowID: previous))")
        }
        return Entry(version: version, value: entry.value, previous: entry.previous.flatMap { $0 >= keptFrom ? $0 : nil })
    }

    /// The history row at `version` as stored (its link may point at a pruned entry).
    private func storedEntry(at version: Int64) throws(LedgerError) -> Entry? {
        let statement = try connection.prepared(
            "SELECT value, previous FROM history WHERE block = ?1 AND tx = ?2 AND namespace = ?3 AND key = ?4")
        defer { statement.reset() }
        let parts = LedgerSchema.version(ofRowID: version)
        try statement.bind(1, Int64(bitPattern: parts.blockNumber))
        try statement.bind(2, Int64(parts.txNumber))
        try statement.bind(3, text: namespace)
        try statement.bind(4, utf8Blob: key)
        guard try statement.step() else { return nil }
        return Entry(version: version, value: statement.isNull(0) ? nil : statement.blob(0),
                     previous: statement.isNull(1) ? nil : statement.int64(1))
    }

    /// The entry at `version`, which the chain says exists.
    func linkedEntry(at version: Int64) throws(LedgerError) -> Entry {
        guard let entry = try entry(at: version) else {
            throw .corrupt(path: connection.path, problem: "the history of \(namespace)/\(key.debugDescription) lacks its entry at \(LedgerSchema.version(ofRowID: version))")
        }
        return entry
    }

    /// The version of the newest entry older than `version` (which need not be an entry of this key).
    func newestVersion(before version: Int64) throws(LedgerError) -> Int64? {
        if let entry = try entry(at: version) { return entry.previous }
        var cursor = try head()
        while let current = cursor, current >= version { cursor = try linkedEntry(at: current).previous }
        return cursor
    }

    /// Every version of the key, newest first.
    func allVersions() throws(LedgerError) -> [Int64] {
        var versions: [Int64] = []
        var cursor = try head()
        while let current = cursor {
            versions.append(current)
            cursor = try linkedEntry(at: current).previous
        }
        return versions
    }

    /// The txID of the transaction that wrote the entry at `version`.
    func transactionID(at version: Int64) throws(LedgerError) -> String {
        let statement = try connection.prepared("SELECT tx_id FROM transactions WHERE id = ?1")
        defer { statement.reset() }
        try statement.bind(1, version)
        guard try statement.step() else {
            throw .corrupt(path: connection.path, problem: "the history names transaction \(LedgerSchema.version(ofRowID: version)), which is not stored")
        }
        return statement.text(0)
    }
}
