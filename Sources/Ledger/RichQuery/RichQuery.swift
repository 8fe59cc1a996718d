/// A rich query over the JSON values of one namespace, in the manner of CouchDB's Mango queries:
/// `{"selector": {"owner": "alice", "size": {"$gt": 10}}, "sort": [{"size": "desc"}], "limit": 20}`.
///
/// Selector operators: `$eq $ne $gt $gte $lt $lte $in $nin $exists` on fields, `$and $or $not`
/// combining selectors (`$not` also negates a field's operators). A field's plain value means `$eq`;
/// `{"a": {"b": 1}}` and `{"a.b": 1}` are the same field. Field names use letters, digits, `_` and `-`,
/// joined by `.`. Values that are not JSON objects are never matched. Results are sorted by the sort
/// fields, then by key; `limit` is capped at the ledger's `maxPageSize`.
///
/// The query is translated to SQL over SQLite's JSON functions in which every field path and value
/// is a bound parameter; only fixed SQL fragments are ever concatenated.
public struct RichQuery: Sendable, Equatable {
    /// A sort key: a field path and a direction.
    public struct SortField: Sendable, Equatable {
        /// The dotted field path, e.g. `size` or `owner.name`.
        public var field: String
        /// True for descending order.
        public var descending: Bool

        /// Creates a sort key.
        public init(field: String, descending: Bool = false) {
            self.field = field
            self.descending = descending
        }
    }

    /// Selectors nest at most this deep.
    public static let maxDepth = 32
    /// A selector holds at most this many conditions.
    public static let maxConditions = 256

    let condition: SelectorCondition
    let sortPaths: [(path: String, descending: Bool)]
    /// The requested limit, if any (capped when the query runs).
    public let limit: Int?

    /// Parses a query document with a `selector` and optional `sort` and `limit` (CouchDB's form), or a
    /// bare selector such as `{"owner":"alice","size":{"$gt":10}}` — a document without a `selector`
    /// member is the selector itself.
    public init(json: String) throws(LedgerError) {
        let document = try Self.parseJSON(json)
        guard case let .object(members) = document else { throw .invalidQuery("the query must be a JSON object") }
        guard members.contains(where: { $0.0 == "selector" }) else {
            try self.init(selectorValue: document, sort: [], limit: nil)
            return
        }
        var selector: JSONValue?
        var sort: [SortField] = []
        var limit: Int?
        for (key, value) in members {
            switch key {
            case "selector": selector = value
            case "sort": sort = try Self.parseSort(value)
            case "limit":
                guard case let .integer(number) = value else { throw .invalidQuery("limit must be an integer, not \(value.kind)") }
                limit = Int(clamping: number)
            default: throw .invalidQuery("unknown query member \(key.debugDescription) (expected selector, sort, limit)")
            }
        }
        guard let selector else { throw .invalidQuery("the query has no selector") }
        try self.init(selectorValue: selector, sort: sort, limit: limit)
    }

    /// Builds a query from a selector document and sort and limit given separately.
    public init(selector: String, sort: [SortField] = [], limit: Int? = nil) throws(LedgerError) {
        try self.init(selectorValue: try Self.parseJSON(selector), sort: sort, limit: limit)
    }

    private init(selectorValue: JSONValue, sort: [SortField], limit: Int?) throws(LedgerError) {
        var parser = SelectorParser()
        condition = try parser.parseSelector(selectorValue, prefix: [], depth: 1)
        var paths: [(String, Bool)] = []
        for field in sort {
            paths.append((try SelectorParser.jsonPath(SelectorParser.fieldSegments(field.field)), field.descending))
        }
        sortPaths = paths
        if let limit, limit < 1 { throw .invalidQuery("limit \(limit) must be at least 1") }
        self.limit = limit
    }

    public static func == (lhs: RichQuery, rhs: RichQuery) -> Bool {
        lhs.condition == rhs.condition && lhs.limit == rhs.limit
            && lhs.sortPaths.map(\.path) == rhs.sortPaths.map(\.path)
            && lhs.sortPaths.map(\.descending) == rhs.sortPaths.map(\.descending)
    }

    private static func parseJSON(_ text: String) throws(LedgerError) -> JSONValue {
        do { return try JSONParser.parse(text, maxDepth: maxDepth * 2) } catch {
            throw .invalidQuery(error.description)
        }
    }

    private static func parseSort(_ value: JSONValue) throws(LedgerError) -> [SortField] {
        guard case let .array(items) = value else { throw .invalidQuery("sort must be an array") }
        guard items.count <= 8 else { throw .invalidQuery("sort has \(items.count) fields, more than 8") }
        var fields: [SortField] = []
        for item in items {
            switch item {
            case let .string(field): fields.append(SortField(field: field))
            case let .object(members) where members.count == 1:
                let (field, direction) = members[0]
                switch direction {
                case .string("asc"): fields.append(SortField(field: field))
                case .string("desc"): fields.append(SortField(field: field, descending: true))
                default: throw .invalidQuery("sort direction of \(field) must be \"asc\" or \"desc\"")
                }
            default: throw .invalidQuery("a sort entry must be a field name or {\"field\": \"asc\"|\"desc\"}")
            }
        }
        return fields
    }
}
