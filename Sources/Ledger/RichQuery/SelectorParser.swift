/// Turns a selector's JSON into a `SelectorCondition`, refusing unknown operators, field names outside
/// the strict charset, nesting deeper than `RichQuery.maxDepth` and more than `RichQuery.maxConditions`.
struct SelectorParser {
    private var conditions = 0

    mutating func parseSelector(_ value: JSONValue, prefix: [String], depth: Int) throws(LedgerError) -> SelectorCondition {
        try checkDepth(depth)
        guard case let .object(members) = value else {
            throw .invalidQuery("a selector must be a JSON object, not \(value.kind)")
        }
        var parts: [SelectorCondition] = []
        for (key, member) in members {
            if key.hasPrefix("$") {
                parts.append(try parseCombination(key, member, prefix: prefix, depth: depth))
            } else {
                let path = prefix + (try Self.fieldSegments(key))
                parts.append(try parseField(member, path: path, depth: depth + 1))
            }
        }
        switch parts.count {
        case 0: return .all
        case 1: return parts[0]
        default: return .and(parts)
        }
    }

    private mutating func parseCombination(
        _ name: String, _ value: JSONValue, prefix: [String], depth: Int
    ) throws(LedgerError) -> SelectorCondition {
        switch name {
        case "$and", "$or":
            guard case let .array(items) = value, !items.isEmpty else {
                throw .invalidQuery("\(name) needs a non-empty array of selectors")
            }
            var children: [SelectorCondition] = []
            for item in items { children.append(try parseSelector(item, prefix: prefix, depth: depth + 1)) }
            return name == "$and" ? .and(children) : .or(children)
        case "$not":
            return .not(try parseSelector(value, prefix: prefix, depth: depth + 1))
        case "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists":
            throw .invalidQuery("operator \(name) must be applied to a field, e.g. {\"size\": {\"\(name)\": …}}")
        default:
            throw .invalidQuery("unknown operator \(name.debugDescription)")
        }
    }

    private mutating func parseField(_ value: JSONValue, path: [String], depth: Int) throws(LedgerError) -> SelectorCondition {
        try checkDepth(depth)
        guard case let .object(members) = value else {
            return try test(path, .equal(try Self.scalar(value, for: "$eq")))
        }
        guard !members.isEmpty else { throw .invalidQuery("field \(path.joined(separator: ".")) has an empty object; objects cannot be compared") }
        let operators = members.filter { $0.key.hasPrefix("$") }.count
        if operators == 0 { return try parseSelector(value, prefix: path, depth: depth) }
        guard operators == members.count else {
            throw .invalidQuery("field \(path.joined(separator: ".")) mixes operators and sub-fields")
        }
        var tests: [SelectorCondition] = []
        for (name, operand) in members { tests.append(try parseOperator(name, operand, path: path, depth: depth)) }
        return tests.count == 1 ? tests[0] : .and(tests)
    }

    private mutating func parseOperator(
        _ name: String, _ operand: JSONValue, path: [String], depth: Int
    ) throws(LedgerError) -> SelectorCondition {
        switch name {
        case "$eq": return try test(path, .equal(try Self.scalar(operand, for: name)))
        case "$ne": return try test(path, .notEqual(try Self.scalar(operand, for: name)))
        case "$gt", "$gte", "$lt", "$lte":
            let scalar = try Self.scalar(operand, for: name)
            switch scalar {
            case .integer, .real, .string: break
            default: throw .invalidQuery("\(name) compares numbers or strings, not \(operand.kind)")
            }
            let op: ComparisonOperator = switch name {
            case "$gt": .greater
            case "$gte": .greaterOrEqual
            case "$lt": .less
            default: .lessOrEqual
            }
            return try test(path, .compare(op, scalar))
        case "$in", "$nin":
            guard case let .array(items) = operand else { throw .invalidQuery("\(name) needs an array, not \(operand.kind)") }
            guard items.count <= 64 else { throw .invalidQuery("\(name) has \(items.count) values, more than 64") }
            var scalars: [JSONScalar] = []
            for item in items { scalars.append(try Self.scalar(item, for: name)) }
            return try test(path, name == "$in" ? .inList(scalars) : .notInList(scalars))
        case "$exists":
            guard case let .bool(flag) = operand else { throw .invalidQuery("$exists needs true or false, not \(operand.kind)") }
            return try test(path, .exists(flag))
        case "$not":
            return .not(try parseField(operand, path: path, depth: depth + 1))
        case "$and", "$or":
            throw .invalidQuery("\(name) combines selectors; it cannot be applied to field \(path.joined(separator: "."))")
        default:
            throw .invalidQuery("unknown operator \(name.debugDescription)")
        }
    }

    private mutating func test(_ path: [String], _ fieldTest: FieldTest) throws(LedgerError) -> SelectorCondition {
        conditions += 1
        guard conditions <= RichQuery.maxConditions else {
            throw .invalidQuery("the selector has more than \(RichQuery.maxConditions) conditions")
        }
        return .test(path: try Self.jsonPath(path), fieldTest)
    }

    private func checkDepth(_ depth: Int) throws(LedgerError) {
        guard depth <= RichQuery.maxDepth else {
            throw .invalidQuery("the selector nests deeper than \(RichQuery.maxDepth) levels")
        }
    }

    private static func scalar(_ value: JSONValue, for name: String) throws(LedgerError) -> JSONScalar {
        switch value {
        case .null: return .null
        case let .bool(flag): return .bool(flag)
        case let .integer(number): return .integer(number)
        case let .real(number): return .real(number)
        case let .string(text): return .string(text)
        case .array, .object:
            throw .invalidQuery("\(name) compares with a string, number, boolean or null, not \(value.kind)")
        }
    }

    /// The segments of a dotted field name, each 1–64 characters of `[A-Za-z0-9_-]`.
    static func fieldSegments(_ field: String) throws(LedgerError) -> [String] {
        let segments = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for segment in segments {
            let valid = !segment.isEmpty && segment.utf8.count <= 64 && segment.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
            guard valid else {
                throw .invalidQuery("field name \(field.debugDescription) is not allowed: use letters, digits, _ and -, separated by dots")
            }
        }
        return segments
    }

    /// The SQLite JSON path of validated segments: `$."a"."b"` (the charset has no quote to escape).
    static func jsonPath(_ segments: [String]) throws(LedgerError) -> String {
        guard segments.count <= 16 else { throw .invalidQuery("field path has \(segments.count) segments, more than 16") }
        return "$" + segments.map { ".\"\($0)\"" }.joined()
    }
}
