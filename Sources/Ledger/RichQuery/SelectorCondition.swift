/// A parsed rich-query selector: a tree of conditions over JSON field paths.
indirect enum SelectorCondition: Equatable, Sendable {
    /// The empty selector `{}`: every JSON object matches.
    case all
    case and([SelectorCondition])
    case or([SelectorCondition])
    case not(SelectorCondition)
    /// A test of the field at a validated JSON path such as `$."size"` or `$."owner"."name"`.
    case test(path: String, FieldTest)
}

/// What a condition checks about one field. Every test except `exists(false)` requires the field to
/// exist, so `$ne` and `$nin` do not match documents that lack the field (as in CouchDB's Mango).
enum FieldTest: Equatable, Sendable {
    case equal(JSONScalar)
    case notEqual(JSONScalar)
    case compare(ComparisonOperator, JSONScalar)
    case inList([JSONScalar])
    case notInList([JSONScalar])
    case exists(Bool)
}

/// `$gt`, `$gte`, `$lt`, `$lte`, with their SQL operator.
enum ComparisonOperator: String, Equatable, Sendable {
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
}

/// A JSON value a field can be compared with.
enum JSONScalar: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case real(Double)
    case string(String)
}
