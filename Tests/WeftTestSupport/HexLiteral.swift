/// Hex written for people: whitespace is ignored and `#` starts a comment that runs to the end of the
/// line. Golden-bytes tests parse their expected bytes with it rather than with `WeftCore.Hex`, so they
/// share no code with the library under test. A malformed literal traps: it is a bug in the test.
public struct HexLiteral: Sendable {
    /// The bytes written.
    public let bytes: [UInt8]

    /// Parses `text`.
    public init(_ text: String) {
        let digits = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
            .joined()
            .filter { !$0.isWhitespace }
        precondition(digits.count % 2 == 0, "odd number of hex digits in \(text)")
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in digits {
            guard let nibble = character.hexDigitValue else { preconditionFailure("not hex: \(character)") }
            if let first = high {
                bytes.append(first << 4 | UInt8(nibble))
                high = nil
            } else {
                high = UInt8(nibble)
            }
        }
        self.bytes = bytes
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// The bytes of `lhs`, then those of `rhs`.
    public static func + (lhs: HexLiteral, rhs: HexLiteral) -> HexLiteral { HexLiteral(bytes: lhs.bytes + rhs.bytes) }
}
