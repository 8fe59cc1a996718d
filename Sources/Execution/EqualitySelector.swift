#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The equality subset of the selector language, for `InMemoryState`: `{"field": value, ...}` matches
/// JSON objects whose top-level fields equal the given strings, numbers or booleans. Numbers compare by
/// value (`5` equals `5.0`) and `true`/`false` equal `1`/`0`, as in the ledger's SQLite JSON queries.
struct EqualitySelector {
    private let conditions: [(field: String, value: String)]

    init(_ selector: String) throws {
        guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(selector.utf8)) else {
            throw StateQueryError("selector must be a JSON object")
        }
        conditions = try object.keys.sorted().map { field in
            guard let value = object[field]?.text else {
                throw StateQueryError("the in-memory state supports only equality on scalar fields; \"\(field)\" is not a scalar")
            }
            return (field, value)
        }
    }

    func matches(_ value: [UInt8]) -> Bool {
        guard let object = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(value)) else { return false }
        return conditions.allSatisfy { condition in object[condition.field]?.text == condition.value }
    }
}

/// A comparable text form of a JSON value: `s` and the text for strings, `n` and the number for
/// numbers and booleans; nil for null, arrays and objects.
private struct JSONScalar: Decodable {
    let text: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let integer = try? container.decode(Int64.self) {
            text = "n\(integer)"
        } else if let integer = try? container.decode(UInt64.self) {
            text = "n\(integer)"
        } else if let number = try? container.decode(Double.self) {
            let integral = number.rounded() == number && abs(number) < 9.2e18
            text = integral ? "n\(Int64(number))" : "n\(number)"
        } else if let flag = try? container.decode(Bool.self) {
            text = flag ? "n1" : "n0"
        } else if let string = try? container.decode(String.self) {
            text = "s" + string
        } else {
            text = nil
        }
    }
}
