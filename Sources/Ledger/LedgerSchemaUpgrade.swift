/// Upgrades an older ledger file to the current version in one SQLite transaction, on open.
///
/// Version 3 adds the `retention` table (what was pruned).
///
/// Version 1 found a key's history through the index `history_by_key (namespace, key, block, tx)`,
/// which costs every write a page of a randomly ordered index. Version 2 links each history row to its
/// key's previous entry (`history.previous`) and keeps the newest entry of each deleted key in
/// `deleted_keys`, so a key's history is reached from its state row (or its deletion) without an index.
enum LedgerSchemaUpgrade {
    /// The oldest version this upgrade reads.
    static let oldestVersion: Int64 = 1

    static func run(_ connection: SQLiteConnection, from version: Int64, path: String) throws(LedgerError) {
        try connection.writeTransaction { () throws(LedgerError) in
            if version < 2 { try toVersion2(connection, path: path) }
            try connection.execute("""
                \(LedgerSchema.createRetention(ifNotExists: true))
                PRAGMA user_version = \(LedgerSchema.version);
                """)
        }
    }

    private static func toVersion2(_ connection: SQLiteConnection, path: String) throws(LedgerError) {
        let bits = LedgerSchema.positionBits
        guard try connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'history_by_key'") == 1 else {
            throw .corrupt(path: path, problem: "the version 1 index history_by_key is missing")
        }
        try connection.execute("""
            ALTER TABLE history ADD COLUMN previous INTEGER;
            UPDATE history SET previous = (
                SELECT (p.block << \(bits)) | p.tx FROM history p INDEXED BY history_by_key
                WHERE p.namespace = history.namespace AND p.key = history.key AND (p.block, p.tx) < (history.block, history.tx)
                ORDER BY p.block DESC, p.tx DESC LIMIT 1);
            \(LedgerSchema.createDeletedKeys)
            INSERT INTO deleted_keys (namespace, key, block, tx)
                SELECT h.namespace, h.key, h.block, h.tx FROM history h INDEXED BY history_by_key
                WHERE h.value IS NULL AND NOT EXISTS (
                    SELECT 1 FROM history l INDEXED BY history_by_key
                    WHERE l.namespace = h.namespace AND l.key = h.key AND (l.block, l.tx) > (h.block, h.tx));
            DROP INDEX history_by_key;
            """)
    }
}
