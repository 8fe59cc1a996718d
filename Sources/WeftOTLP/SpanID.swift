/// A W3C span id (parent id in `traceparent`): 8 bytes, never all zero, written as 16 lowercase hex
/// digits.
public struct SpanID: Hashable, Sendable, CustomStringConvertible {
    /// The 8 bytes, big-endian.
    public var value: UInt64

    /// The id `value`; nil for zero (the W3C invalid id).
    public init?(_ value: UInt64) {
        guard value != 0 else { return nil }
        self.value = value
    }

    /// Parses 16 lowercase hex digits; nil for anything else or the all-zero id.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 16, let value = Hex.value(utf8) else { return nil }
        self.init(value)
    }

    /// A new random id.
    public static func random() -> SpanID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A new random id from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> SpanID {
        while true {
            if let id = SpanID(generator.next()) { return id }
        }
    }

    /// 16 lowercase hex digits.
    public var hex: String { Hex.string(value) }

    public var description: String { hex }
}
