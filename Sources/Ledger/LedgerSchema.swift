import WeftCore

/// The tables of a channel's ledger file (docs/encoding.md, "Ledger file"). One SQLite file per channel.
enum LedgerSchema {
    /// `PRAGMA application_id` of a Weft ledger file: "WEFT".
    static let applicationID: Int64 = 0x5745_4654
    /// `PRAGMA user_version`: the schema version this code reads and writes. Version 1 files (key
    /// history found through an index by key) and version 2 files (no `retention` table) are upgraded
    /// on open (`LedgerSchemaUpgrade`).
    static let version: Int64 = 3
    /// A transaction's row id is `block << positionBits | position`, so a block holds at most 2^24
    /// transactions and its rows are contiguous.
    static let positionBits: Int64 = 24
    /// The largest number of transactions in one block.
    static let maxTransactionsPerBlock = 1 << 24

    static let tables = ["blocks", "transactions", "state", "history", "deleted_keys", "savepoint", "retention"]

    /// What was pruned (schema version 3): the bodies (envelopes) and key history of the blocks below
    /// `pruned_below` are gone; their headers, metadata and txIDs stay. `archive` names where the
    /// pruned blocks were exported, when the operator said so. A ledger restored from a snapshot keeps
    /// no header below `headers_from` either. No row: nothing pruned.
    static let createRetention = createRetention(ifNotExists: false)

    static func createRetention(ifNotExists: Bool) -> String {
        """
        CREATE TABLE \(ifNotExists ? "IF NOT EXISTS " : "")retention (
            id INTEGER PRIMARY KEY CHECK (id = 0),
            pruned_below INTEGER NOT NULL,
            archive TEXT NOT NULL,
            headers_from INTEGER NOT NULL DEFAULT 0
        );
        """
    }

    /// The newest history entry of each deleted key (schema version 2).
    static let createDeletedKeys = """
    CREATE TABLE deleted_keys (
        namespace TEXT NOT NULL,
        key BLOB NOT NULL,
        block INTEGER NOT NULL,
        tx INTEGER NOT NULL,
        PRIMARY KEY (namespace, key)
    ) WITHOUT ROWID;
    """

    static let create = """
    CREATE TABLE blocks (
        number INTEGER PRIMARY KEY,
        hash BLOB NOT NULL,
        header BLOB NOT NULL,
        metadata BLOB NOT NULL,
        tx_count INTEGER NOT NULL
    );
    CREATE INDEX blocks_by_hash ON blocks(hash);
    CREATE TABLE transactions (
        id INTEGER PRIMARY KEY,
        tx_key INTEGER NOT NULL,
        tx_id TEXT NOT NULL,
        code INTEGER NOT NULL,
        envelope BLOB NOT NULL
    );
    CREATE INDEX transactions_by_tx_key ON transactions(tx_key);
    CREATE TABLE state (
        namespace TEXT NOT NULL,
        key BLOB NOT NULL,
        value BLOB NOT NULL,
        block INTEGER NOT NULL,
        tx INTEGER NOT NULL,
        PRIMARY KEY (namespace, key)
    ) WITHOUT ROWID;
    CREATE TABLE history (
        block INTEGER NOT NULL,
        tx INTEGER NOT NULL,
        namespace TEXT NOT NULL,
        key BLOB NOT NULL,
        value BLOB,
        previous INTEGER,
        PRIMARY KEY (block, tx, namespace, key)
    ) WITHOUT ROWID;
    \(createDeletedKeys)
    \(createRetention)
    CREATE TABLE savepoint (
        id INTEGER PRIMARY KEY CHECK (id = 0),
        height INTEGER NOT NULL,
        block_hash BLOB NOT NULL,
        commit_hash BLOB NOT NULL
    );
    PRAGMA application_id = \(applicationID);
    PRAGMA user_version = \(version);
    """

    /// Creates the tables in a new (empty) file, or checks that an existing file is a Weft ledger of
    /// this schema version.
    static func prepare(_ connection: SQLiteConnection, path: String, create: Bool) throws(LedgerError) {
        let applicationID = try connection.scalarInt("PRAGMA application_id") ?? 0
        let objectCount = try connection.scalarInt("SELECT count(*) FROM sqlite_master") ?? 0
        if applicationID == 0 && objectCount == 0 {
            guard create else { throw .notALedger(path: path, reason: "the database is empty") }
            try connection.writeTransaction { () throws(LedgerError) in try connection.execute(Self.create) }
            return
        }
        guard applicationID == Self.applicationID else {
            throw .notALedger(path: path, reason: "its application id is \(applicationID), not Weft's \(Self.applicationID)")
        }
        var version = try connection.scalarInt("PRAGMA user_version") ?? 0
        // A writer upgrades an older file; a read-only check reads a version 2 file as it is (nothing
        // pruned).
        if create, version < Self.version, version >= LedgerSchemaUpgrade.oldestVersion {
            try LedgerSchemaUpgrade.run(connection, from: version, path: path)
            version = Self.version
        }
        guard version == Self.version || (!create && version == 2) else {
            throw .notALedger(path: path, reason: "schema version \(version) is not the supported version \(Self.version)")
        }
        for table in tables where version == Self.version || table != "retention" {
            let statement = try connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")
            try statement.bind(1, text: table)
            guard try statement.step() else {
                throw .corrupt(path: path, problem: "the table \(table) is missing")
            }
        }
    }

    /// The indexed stand-in of a txID: FNV-1a (64-bit) of its UTF-8 bytes. An 8-byte integer keeps
    /// the index small and its comparisons cheap; lookups also compare the full `tx_id`.
    static func transactionKey(_ txID: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in txID.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// The row id of transaction `position` of block `number`; also how a history row names the
    /// version of its key's previous entry (`history.previous`).
    static func transactionRowID(block: UInt64, position: Int) -> Int64 {
        Int64(bitPattern: block) << positionBits | Int64(position)
    }

    /// The version a transaction row id (or `history.previous`) names.
    static func version(ofRowID rowID: Int64) -> Version {
        Version(blockNumber: UInt64(bitPattern: rowID >> positionBits), txNumber: UInt32(truncatingIfNeeded: rowID & (1 << positionBits - 1)))
    }
}
