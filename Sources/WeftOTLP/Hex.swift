/// Lowercase hexadecimal for W3C trace context and OTLP/JSON ids: the fixed-width forms those formats
/// use, and nothing else (no prefix, no uppercase, no odd lengths).
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `value` as exactly 16 lowercase hex digits, most significant first.
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var shift: UInt64 = 60
        while true {
            bytes.append(digits[Int((value >> shift) & 0xF)])
            if shift == 0 { return }
            shift -= 4
        }
    }

    /// `value` as exactly 16 lowercase hex digits.
    static func string(_ value: UInt64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value of 1 to 16 lowercase hex digits; nil for any other character (W3C trace context
    /// allows lowercase only) or a wrong length.
    static func value(_ text: some Collection<UInt8>) -> UInt64? {
        guard !text.isEmpty, text.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in text {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }
}
