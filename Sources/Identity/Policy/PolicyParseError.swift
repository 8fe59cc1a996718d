/// Why policy text did not parse: where, what the parser expected there, and what it found.
public struct PolicyParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Offset of the offending character in the text, counting characters from 0.
    public let position: Int
    /// What would have been accepted here, e.g. `"',' or ')'"`.
    public let expected: String
    /// What was there, e.g. `"end of input"` or `"'AMD'"`.
    public let found: String

    /// An error at `position`.
    public init(position: Int, expected: String, found: String) {
        self.position = position
        self.expected = expected
        self.found = found
    }

    /// `policy: at position 17: expected ',' or ')', found end of input`.
    public var description: String { "policy: at position \(position): expected \(expected), found \(found)" }
}
