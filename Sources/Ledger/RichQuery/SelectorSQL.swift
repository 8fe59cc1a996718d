/// Compiles a `SelectorCondition` to a SQL boolean expression over a column `doc` holding the JSON
/// text. The SQL is assembled only from the fixed fragments below; every path and value is appended
/// to `parameters` and appears in the SQL as `?`.
struct SelectorSQL {
    private(set) var sql = ""
    private(set) var parameters: [SQLiteValue] = []

    mutating func emit(_ condition: SelectorCondition) {
        switch condition {
        case .all:
            sql += "1"
        case let .and(children):
            join(children, with: " AND ")
        case let .or(children):
            join(children, with: " OR ")
        case let .not(child):
            sql += "NOT ("
            emit(child)
            sql += ")"
        case let .test(path, fieldTest):
            emit(fieldTest, path: path)
        }
    }

    private mutating func join(_ children: [SelectorCondition], with separator: String) {
        sql += "("
        for (index, child) in children.enumerated() {
            if index > 0 { sql += separator }
            emit(child)
        }
        sql += ")"
    }

    private mutating func emit(_ fieldTest: FieldTest, path: String) {
        switch fieldTest {
        case let .equal(value):
            equal(path, value)
        case let .notEqual(value):
            sql += "("
            exists(path, true)
            sql += " AND NOT "
            equal(path, value)
            sql += ")"
        case let .compare(op, value):
            sql += "("
            typeIn(path, types(of: value))
            sql += " AND json_extract(doc, ?) \(op.rawValue) ?)"
            parameters.append(.text(path))
            parameters.append(bound(value))
        case let .inList(values):
            anyEqual(path, values)
        case let .notInList(values):
            sql += "("
            exists(path, true)
            sql += " AND NOT "
            anyEqual(path, values)
            sql += ")"
        case let .exists(flag):
            exists(path, flag)
        }
    }

    private mutating func anyEqual(_ path: String, _ values: [JSONScalar]) {
        guard !values.isEmpty else {
            sql += "0"
            return
        }
        sql += "("
        for (index, value) in values.enumerated() {
            if index > 0 { sql += " OR " }
            equal(path, value)
        }
        sql += ")"
    }

    /// Equality that respects JSON types: 1 never equals "1" or true.
    private mutating func equal(_ path: String, _ value: JSONScalar) {
        switch value {
        case .null: typeIn(path, ["null"])
        case let .bool(flag): typeIn(path, [flag ? "true" : "false"])
        case .integer, .real, .string:
            sql += "("
            typeIn(path, types(of: value))
            sql += " AND json_extract(doc, ?) = ?)"
            parameters.append(.text(path))
            parameters.append(bound(value))
        }
    }

    private mutating func exists(_ path: String, _ flag: Bool) {
        sql += flag ? "json_type(doc, ?) IS NOT NULL" : "json_type(doc, ?) IS NULL"
        parameters.append(.text(path))
    }

    private mutating func typeIn(_ path: String, _ types: [String]) {
        // The type names are constants of this file, never input. A missing field gives NULL, which
        // coalesce turns into false so that NOT and $ne see two-valued logic.
        sql += "coalesce(json_type(doc, ?) IN (" + types.map { "'\($0)'" }.joined(separator: ", ") + "), 0)"
        parameters.append(.text(path))
    }

    private func types(of value: JSONScalar) -> [String] {
        switch value {
        case .integer, .real: ["integer", "real"]
        case .string: ["text"]
        case .null: ["null"]
        case let .bool(flag): [flag ? "true" : "false"]
        }
    }

    private func bound(_ value: JSONScalar) -> SQLiteValue {
        switch value {
        case .null: .null
        case let .bool(flag): .integer(flag ? 1 : 0)
        case let .integer(number): .integer(number)
        case let .real(number): .real(number)
        case let .string(text): .text(text)
        }
    }
}
