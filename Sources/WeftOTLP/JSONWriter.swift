/// Appends JSON text to a byte buffer: just the pieces the OTLP/JSON encoder needs, written in order
/// by the caller (no tree, no reflection, no Foundation).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Literal JSON punctuation or a key already known to need no escaping, e.g. `{"name":`.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A JSON string: quoted, with `"`, `\` and control characters escaped.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0xF))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A 64-bit integer as a JSON string, as ProtoJSON writes (u)int64 fields: `"1700000000000000000"`.
    mutating func quoted(_ number: some BinaryInteger) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: String(number).utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON number for an int32 or enum field.
    mutating func number(_ number: Int) {
        bytes.append(contentsOf: String(number).utf8)
    }

    /// A double as ProtoJSON writes it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
    mutating func number(_ number: Double) {
        if number.isNaN {
            raw("\"NaN\"")
        } else if number.isInfinite {
            number < 0 ? raw("\"-Infinity\"") : raw("\"Infinity\"")
        } else {
            bytes.append(contentsOf: "\(number)".utf8)
        }
    }

    /// `true` or `false`.
    mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// Lowercase hex digits, quoted (OTLP/JSON's trace and span ids).
    mutating func hex(_ values: UInt64...) {
        bytes.append(UInt8(ascii: "\""))
        for value in values { Hex.append(value, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes `items` as a JSON array, `element` writing each.
    mutating func array<Items: Sequence>(_ items: Items, _ element: (inout JSONWriter, Items.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
