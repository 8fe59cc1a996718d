import Foundation

/// The equality subset of the selector language, for `InMemoryState`: `{"field": value, ...}` matches
/// JSON objects whose top-level fields equal the given strings, numbers or booleans.
struct EqualitySelector {
    private let conditions: [(field: String, value: String)]

    init(_ selector: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(selector.utf8)) as? [String: Any] else {
            throw StateQueryError("selector must be a JSON object")
        }
        conditions = try object.keys.sorted().map { field in
            guard let value = object[field].flatMap(Self.scalar) else {
                throw StateQueryError("the in-memory state supports only equality on scalar fields; \"\(field)\" is not a scalar")
            }
            return (field, value)
        }
    }

    func matches(_ value: [UInt8]) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any] else { return false }
        return conditions.allSatisfy { condition in object[condition.field].flatMap(Self.scalar) == condition.value }
    }

    /// A comparable text form of a JSON scalar as JSONSerialization returns it; nil for arrays and objects.
    private static func scalar(_ value: Any) -> String? {
        if let text = value as? String { return "s" + text }
        if let number = value as? NSNumber { return "n" + number.stringValue }
        return nil
    }
}
