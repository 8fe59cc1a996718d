import FuzzSupport
@testable import Ledger

/// A rich-query document as a chaincode passes it: the JSON and selector parsers never crash, and
/// every selector they accept translates to SQL that SQLite compiles, with one `?` per parameter and
/// no text of the query in it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSelector(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    let text = String(decoding: RoundTrip.bytes(data, size), as: UTF8.self)
    guard let query = try? RichQuery(json: text) else { return 0 }
    var translation = SelectorSQL()
    translation.emit(query.condition)
    let placeholders = translation.sql.utf8.filter { $0 == UInt8(ascii: "?") }.count
    RoundTrip.require(placeholders == translation.parameters.count,
                      "\(placeholders) placeholders for \(translation.parameters.count) parameters: \(translation.sql)")
    RoundTrip.require(onlyFixedLiterals(translation.sql), "query text leaked into the SQL: \(translation.sql)")
    do {
        _ = try Database.shared.prepared("SELECT key FROM state WHERE " + translation.sql)
    } catch {
        fatalError("the SQL of an accepted selector does not compile: \(error)\n\(translation.sql)")
    }
    return 0
}

/// Whether the SQL's only quoted literals are JSON type names (the translator's fixed fragments), and it
/// holds no statement separator or double quote: every value from the query must arrive as a parameter.
func onlyFixedLiterals(_ sql: String) -> Bool {
    let allowed: Set<Substring> = ["null", "true", "false", "integer", "real", "text", "array", "object"]
    let parts = sql.split(separator: "'", omittingEmptySubsequences: false)
    guard parts.count % 2 == 1, !sql.contains(";"), !sql.contains("\"") else { return false }
    return stride(from: 1, to: parts.count, by: 2).allSatisfy { allowed.contains(parts[$0]) }
}

/// One in-memory database with a `state` table holding `doc`, for compiling the translations.
enum Database {
    static let shared: SQLiteConnection = {
        do {
            let connection = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
            try connection.execute("CREATE TABLE state (key BLOB, doc TEXT)")
            return connection
        } catch {
            fatalError("cannot open an in-memory database: \(error)")
        }
    }()
}
