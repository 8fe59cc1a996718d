import CSQLite
import WeftCore

extension LedgerSnapshot {
    /// How long one rich query may run: a selector that no index serves scans the namespace, and
    /// on a large one that would hold a read connection and a core for as long as the scan takes.
    public static let richQueryBudgetSeconds = 5.0

    /// The entries of `namespace` whose JSON value matches `query`, sorted by its sort fields then key,
    /// at most `query.limit` (capped at `maxPageSize`) of them. Values that are not JSON objects never match.
    /// A query still running after `budgetSeconds` is stopped with `LedgerError.invalidQuery`.
    public func richQuery(
        namespace: String, _ query: RichQuery, budgetSeconds: Double = LedgerSnapshot.richQueryBudgetSeconds
    ) throws(LedgerError) -> [StateEntry] {
        try richQuery(namespace: namespace, query, budget: QueryBudget(seconds: budgetSeconds))
    }

    /// The same, stopped when `budget` is spent or cancelled.
    public func richQuery(namespace: String, _ query: RichQuery, budget: QueryBudget) throws(LedgerError) -> [StateEntry] {
        let limit = min(query.limit ?? maxPageSize, maxPageSize)
        var compiled = SelectorSQL()
        compiled.emit(query.condition)
        var parameters: [SQLiteValue] = [.text(namespace)]
        parameters.append(contentsOf: compiled.parameters)
        var order = ""
        for sort in query.sortPaths {
            order += "json_extract(doc, ?) " + (sort.descending ? "DESC, " : "ASC, ")
            parameters.append(.text(sort.path))
        }
        parameters.append(.integer(Int64(limit)))
        // Only JSON text reaches the JSON functions: `doc` is NULL for any other value, and CASE
        // guarantees json_valid runs first, so a non-JSON value can never raise an error.
        let sql = """
            SELECT key, value, block, tx FROM (
                SELECT key, value, block, tx,
                    CASE WHEN json_valid(CAST(value AS TEXT)) THEN CAST(value AS TEXT) END AS doc
                FROM state WHERE namespace = ?
            ) WHERE json_type(doc) = 'object' AND \(compiled.sql)
            ORDER BY \(order)key LIMIT ?
            """
        return try withConnection { (connection) throws(LedgerError) in
            do throws(LedgerError) {
                return try connection.withBudget(budget) { () throws(LedgerError) -> [StateEntry] in
                    let statement = try connection.prepare(sql)
                    for (index, parameter) in parameters.enumerated() { try statement.bind(Int32(index + 1), parameter) }
                    var entries: [StateEntry] = []
                    while try statement.step() {
                        entries.append(StateEntry(
                            key: statement.text(0), value: statement.blob(1), version: Self.version(statement, 2)))
                    }
                    return entries
                }
            } catch {
                if case .sqlite(_, let code, _) = error, code & 0xff == SQLITE_INTERRUPT {
                    if budget.isCancelled { throw .invalidQuery("the query was cancelled") }
                    throw .invalidQuery("the query ran longer than its budget of \(budget.seconds) s and was stopped; narrow the selector (an equality on Owner, say) or query a smaller namespace")
                }
                throw error
            }
        }
    }

    /// Parses `json` as a query document (`{"selector": …, "sort": …, "limit": …}`) and runs it.
    public func richQuery(namespace: String, json: String) throws(LedgerError) -> [StateEntry] {
        try richQuery(namespace: namespace, try RichQuery(json: json))
    }
}
