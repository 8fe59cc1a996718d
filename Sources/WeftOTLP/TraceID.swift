/// A W3C trace id: 16 bytes, never all zero, written as 32 lowercase hex digits in `traceparent` and
/// in OTLP/JSON.
public struct TraceID: Hashable, Sendable, CustomStringConvertible {
    /// The first 8 bytes, big-endian.
    public var high: UInt64
    /// The last 8 bytes, big-endian (the part ratio sampling reads).
    public var low: UInt64

    /// The id `high` ‖ `low`; nil when both are zero (the W3C invalid id).
    public init?(high: UInt64, low: UInt64) {
        guard high != 0 || low != 0 else { return nil }
        self.high = high
        self.low = low
    }

    /// Parses 32 lowercase hex digits; nil for anything else or the all-zero id.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 32, let high = Hex.value(utf8[0..<16]), let low = Hex.value(utf8[16..<32]) else { return nil }
        self.init(high: high, low: low)
    }

    /// A new random id.
    public static func random() -> TraceID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A new random id from `generator` (seeded generators make ids repeatable in tests).
    public static func random(using generator: inout some RandomNumberGenerator) -> TraceID {
        while true {
            if let id = TraceID(high: generator.next(), low: generator.next()) { return id }
        }
    }

    /// 32 lowercase hex digits.
    public var hex: String { Hex.string(high) + Hex.string(low) }

    public var description: String { hex }
}
