import WeftCore

/// The statements of one commit, looked up once per block rather than once per row, and the row
/// changes `Ledger.commit` makes with them.
struct CommitStatements {
    /// Where a key's history currently ends.
    struct Head {
        /// Whether the key has a state row.
        let inState: Bool
        /// Whether `deleted_keys` holds the key (its newest entry is a delete).
        let deleted: Bool
        /// The version (`LedgerSchema.transactionRowID`) of the key's newest history entry; nil for a key
        /// never written.
        let version: Int64?
    }

    let insertTransaction: SQLiteStatement
    private let selectState: SQLiteStatement
    private let selectDeleted: SQLiteStatement
    private let updateState: SQLiteStatement
    private let insertState: SQLiteStatement
    private let deleteState: SQLiteStatement
    private let upsertDeleted: SQLiteStatement
    private let removeDeleted: SQLiteStatement
    private let insertHistoryRow: SQLiteStatement

    init(_ writer: SQLiteConnection) throws(LedgerError) {
        insertTransaction = try writer.prepared(
            "INSERT INTO transactions (id, tx_key, tx_id, code, envelope) VALUES (?1, ?2, ?3, ?4, ?5)")
        selectState = try writer.prepared("SELECT block, tx FROM state WHERE namespace = ?1 AND key = ?2")
        selectDeleted = try writer.prepared("SELECT block, tx FROM deleted_keys WHERE namespace = ?1 AND key = ?2")
        updateState = try writer.prepared(
            "UPDATE state SET value = ?3, block = ?4, tx = ?5 WHERE namespace = ?1 AND key = ?2")
        insertState = try writer.prepared(
            "INSERT INTO state (namespace, key, value, block, tx) VALUES (?1, ?2, ?3, ?4, ?5)")
        deleteState = try writer.prepared("DELETE FROM state WHERE namespace = ?1 AND key = ?2")
        upsertDeleted = try writer.prepared("""
            INSERT INTO deleted_keys (namespace, key, block, tx) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (namespace, key) DO UPDATE SET block = excluded.block, tx = excluded.tx
            """)
        removeDeleted = try writer.prepared("DELETE FROM deleted_keys WHERE namespace = ?1 AND key = ?2")
        insertHistoryRow = try writer.prepared(
            "INSERT INTO history (block, tx, namespace, key, value, previous) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
    }

    /// The key's state row version, or else its deletion's.
    func head(of write: KVWrite) throws(LedgerError) -> Head {
        if let version = try version(selectState, write) { return Head(inState: true, deleted: false, version: version) }
        if let version = try version(selectDeleted, write) { return Head(inState: false, deleted: true, version: version) }
        return Head(inState: false, deleted: false, version: nil)
    }

    private func version(_ statement: SQLiteStatement, _ write: KVWrite) throws(LedgerError) -> Int64? {
        // Reset on the way out too: a statement left on a row would keep a read transaction open on the
        // writer after COMMIT, and the next commit's BEGIN IMMEDIATE could then not start.
        statement.reset()
        defer { statement.reset() }
        try statement.bind(1, text: write.namespace)
        try statement.bind(2, utf8Blob: write.key)
        guard try statement.step() else { return nil }
        return LedgerSchema.transactionRowID(block: UInt64(bitPattern: statement.int64(0)), position: Int(statement.int64(1)))
    }

    /// Appends one history row, linked to the key's previous entry.
    func insertHistory(_ entry: BlockWriteSet.Entry, block: UInt64, previous: Int64?) throws(LedgerError) {
        let insert = insertHistoryRow
        insert.reset()
        try insert.bind(1, Int64(bitPattern: block))
        try insert.bind(2, Int64(entry.position))
        try insert.bind(3, text: entry.write.namespace)
        try insert.bind(4, utf8Blob: entry.write.key)
        if let value = entry.write.value { try insert.bind(5, blob: value) } else { try insert.bindNull(5) }
        if let previous { try insert.bind(6, previous) } else { try insert.bindNull(6) }
        try insert.run()
    }

    /// Makes state hold the block's last write of the key: an update, an insert or a delete, keeping
    /// `deleted_keys` in step.
    func applyToState(_ entry: BlockWriteSet.Entry, block: UInt64, head: Head) throws(LedgerError) {
        let write = entry.write
        if let value = write.value {
            let statement = head.inState ? updateState : insertState
            statement.reset()
            try statement.bind(1, text: write.namespace)
            try statement.bind(2, utf8Blob: write.key)
            try statement.bind(3, blob: value)
            try statement.bind(4, Int64(bitPattern: block))
            try statement.bind(5, Int64(entry.position))
            try statement.run()
            if head.deleted { try run(removeDeleted, write) }
        } else {
            if head.inState { try run(deleteState, write) }
            let upsert = upsertDeleted
            upsert.reset()
            try upsert.bind(1, text: write.namespace)
            try upsert.bind(2, utf8Blob: write.key)
            try upsert.bind(3, Int64(bitPattern: block))
            try upsert.bind(4, Int64(entry.position))
            try upsert.run()
        }
    }

    private func run(_ statement: SQLiteStatement, _ write: KVWrite) throws(LedgerError) {
        statement.reset()
        try statement.bind(1, text: write.namespace)
        try statement.bind(2, utf8Blob: write.key)
        try statement.run()
    }
}
