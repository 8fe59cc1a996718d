/// Text in, text out: what a command line needs to encode arguments and show results.
extension ABI {
    /// Parses a list of types: `(uint256,bool)`, `uint256,bool`, `uint256`, or `()` / empty for none.
    /// Names are canonicalized (`uint` → `uint256`); arrays and tuples throw `unsupportedType`.
    public static func types(parsing list: String) throws -> [ABIType] {
        var text = list.filter { $0 != " " && $0 != "\t" }
        if text.hasPrefix("(") {
            guard text.hasSuffix(")") else { throw EVMError.unsupportedType(list) }
            text = String(text.dropFirst().dropLast())
        }
        if text.isEmpty { return [] }
        return try text.split(separator: ",", omittingEmptySubsequences: false).map { try ABIType(parsing: String($0)) }
    }

    /// Encodes command-line text `arguments` as the tuple `types` (see `ABIValue(parsing:as:)`).
    public static func encode(parsing arguments: [String], as types: [ABIType]) throws -> [UInt8] {
        guard arguments.count == types.count else { throw EVMError.argumentCount(expected: types.count, got: arguments.count) }
        return try encode(zip(arguments, types).map { try ABIValue(parsing: $0, as: $1) }, as: types)
    }

    /// Decodes `data` as the types listed in `types` (e.g. `(uint256)`) and renders each value as text:
    /// decimal numbers, `0x` hex addresses and bytes, `true`/`false`, strings as they are.
    public static func decodeText(_ data: [UInt8], as types: String) throws -> [String] {
        try decode(data, as: try self.types(parsing: types)).map(\.description)
    }
}
