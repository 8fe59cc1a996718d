import CSQLite

/// A value bound to a statement parameter.
enum SQLiteValue: Equatable, Sendable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null
}

/// One prepared statement: bind parameters (1-based), step through rows, read columns (0-based).
/// Owned by its connection's cache; `reset()` makes it reusable.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// Ends any pending step and clears the bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Binding

    func bind(_ index: Int32, _ value: Int64) throws(LedgerError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, _ value: Double) throws(LedgerError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    func bind(_ index: Int32, text value: String) throws(LedgerError) {
        var value = value
        let code = value.withUTF8 { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                // A nil pointer would bind NULL; an empty string must stay an empty string.
                return sqlite3_bind_text(handle, index, "", 0, weft_sqlite_transient())
            }
            return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                sqlite3_bind_text(handle, index, $0, Int32(buffer.count), weft_sqlite_transient())
            }
        }
        try check(code)
    }

    /// Binds the UTF-8 bytes of `value` as a BLOB (keys are compared byte by byte).
    func bind(_ index: Int32, utf8Blob value: String) throws(LedgerError) {
        var value = value
        let code = value.withUTF8 { buffer in bindBlob(index, UnsafeRawBufferPointer(buffer)) }
        try check(code)
    }

    func bind(_ index: Int32, blob value: [UInt8]) throws(LedgerError) {
        let code = value.withUnsafeBytes { bindBlob(index, $0) }
        try check(code)
    }

    func bindNull(_ index: Int32) throws(LedgerError) {
        try check(sqlite3_bind_null(handle, index))
    }

    func bind(_ index: Int32, _ value: SQLiteValue) throws(LedgerError) {
        switch value {
        case let .integer(number): try bind(index, number)
        case let .real(number): try bind(index, number)
        case let .text(text): try bind(index, text: text)
        case let .blob(bytes): try bind(index, blob: bytes)
        case .null: try bindNull(index)
        }
    }

    private func bindBlob(_ index: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32 {
        // A nil pointer would bind NULL; an empty blob must stay an empty blob.
        guard let base = buffer.baseAddress, buffer.count > 0 else { return sqlite3_bind_zeroblob(handle, index, 0) }
        return sqlite3_bind_blob(handle, index, base, Int32(buffer.count), weft_sqlite_transient())
    }

    // MARK: Stepping

    /// Advances to the next row; false when the statement is done.
    func step() throws(LedgerError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let error = connection.makeError("step", code)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Steps a statement that returns no rows.
    func run() throws(LedgerError) {
        while try step() {}
    }

    // MARK: Columns

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func blob(_ column: Int32) -> [UInt8] {
        guard let base = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A BLOB or TEXT column read as a UTF-8 string.
    func text(_ column: Int32) -> String {
        guard let base = sqlite3_column_blob(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self)
    }

    private func check(_ code: Int32) throws(LedgerError) {
        if code != SQLITE_OK { throw connection.makeError("bind", code) }
    }
}
