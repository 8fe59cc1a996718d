import CSQLite

/// One SQLite connection with a cache of prepared statements.
///
/// Opened with `SQLITE_OPEN_NOMUTEX`: SQLite does no locking of its own, so the owner must never use
/// the connection from two threads at once (the writer holds it under `Ledger`'s lock; a reader is
/// checked out of the pool by one snapshot, which serializes its calls).
final class SQLiteConnection: @unchecked Sendable {
    // @unchecked Sendable: the connection moves between threads (pool → snapshot → pool) but is used
    // by one owner at a time, as stated above; it has no state shared with other connections.

    /// The database file.
    let path: String
    private(set) var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]

    /// How a connection may use the file.
    enum Mode {
        /// Read and write; create the file when missing.
        case readWriteCreate
        /// Read and write an existing file (needed to recover a WAL after a crash).
        case readWrite
        /// Read only.
        case readOnly
    }

    /// Opens `path`.
    init(path: String, mode: Mode) throws(LedgerError) {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        guard code == SQLITE_OK else {
            let error = makeError("open", code)
            sqlite3_close_v2(db)
            handle = nil
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Finalizes every cached statement and closes the connection. Safe to call twice.
    func close() {
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more statements that return no rows we need (DDL, pragmas, BEGIN/COMMIT).
    func execute(_ sql: String) throws(LedgerError) {
        let db = try open()
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(db, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw Self.classify(path: path, operation: sql, code: code, message: text)
        }
    }

    /// The prepared statement for `sql`, compiled once per connection and reused (reset) afterwards.
    func prepared(_ sql: String) throws(LedgerError) -> SQLiteStatement {
        if let statement = statements[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// A fresh statement that is not cached (for SQL that varies, such as rich queries).
    func prepare(_ sql: String) throws(LedgerError) -> SQLiteStatement {
        let db = try open()
        var raw: OpaquePointer?
        let code = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard code == SQLITE_OK, let raw else { throw makeError("prepare", code) }
        return SQLiteStatement(raw, connection: self)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE … COMMIT` transaction, rolling back if it throws.
    func writeTransaction<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Makes SQLite store the WAL's frame count in `counter` after every commit (replacing the
    /// built-in auto-checkpoint hook).
    func setWALHook(counter: UnsafeMutablePointer<Int32>) {
        guard let handle else { return }
        sqlite3_wal_hook(handle, { context, _, _, frames in
            context?.assumingMemoryBound(to: Int32.self).pointee = frames
            return SQLITE_OK
        }, UnsafeMutableRawPointer(counter))
    }

    /// Runs a WAL checkpoint; returns false when it could not complete because another connection was
    /// checkpointing, a reader still needed the WAL, or the busy timeout ran out.
    func checkpoint(restart: Bool) throws(LedgerError) -> Bool {
        let db = try open()
        let mode = restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE
        var log: Int32 = 0
        var checkpointed: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(db, nil, mode, &log, &checkpointed)
        if code == SQLITE_BUSY || code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED { return false }
        guard code == SQLITE_OK else { throw makeError("wal_checkpoint", code) }
        return log == checkpointed
    }

    /// Database pages this connection has written (to the WAL) since it was opened:
    /// `SQLITE_DBSTATUS_CACHE_WRITE`.
    var pagesWritten: Int {
        guard let handle else { return 0 }
        var current: Int32 = 0
        var highwater: Int32 = 0
        guard sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_WRITE, &current, &highwater, 0) == SQLITE_OK else { return 0 }
        return Int(current)
    }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    /// The single value of a pragma or scalar query, as an integer.
    func scalarInt(_ sql: String) throws(LedgerError) -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    /// The single value of a pragma or scalar query, as text.
    func scalarText(_ sql: String) throws(LedgerError) -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.text(0)
    }

    /// Builds the error for a failed call on this connection, with SQLite's message.
    func makeError(_ operation: String, _ code: Int32) -> LedgerError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return Self.classify(path: path, operation: operation, code: code, message: message)
    }

    /// Damage (`SQLITE_CORRUPT`, `SQLITE_NOTADB`, a short read) becomes `.corrupt`; the rest `.sqlite`.
    static func classify(path: String, operation: String, code: Int32, message: String) -> LedgerError {
        let primary = code & 0xff
        if primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || code == SQLITE_IOERR | 2 << 8 /* SQLITE_IOERR_SHORT_READ */ {
            return .corrupt(path: path, problem: "\(message) (SQLite code \(code))")
        }
        return .sqlite(operation: operation, code: code, message: message)
    }

    private func open() throws(LedgerError) -> OpaquePointer {
        guard let handle else { throw .closed }
        return handle
    }
}
