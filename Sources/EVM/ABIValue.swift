import WeftCore

/// A value of an `ABIType`.
public enum ABIValue: Equatable, Sendable, CustomStringConvertible {
    case uint(UInt256)
    /// Two's complement.
    case int(UInt256)
    case address(Address)
    case bool(Bool)
    case fixedBytes([UInt8])
    case bytes([UInt8])
    case string(String)

    /// Parses command-line text as a value of `type`: decimal or 0x-hex numbers (a leading '-' for
    /// int), 0x-hex addresses and byte strings, true/false, and strings as they are.
    public init(parsing text: String, as type: ABIType) throws {
        let invalid = EVMError.invalidArgument(type: type.description, value: text)
        switch type {
        case .uint(let bits):
            guard let value = UInt256(number: text), value.bitWidth <= bits else { throw invalid }
            self = .uint(value)
        case .int(let bits):
            let negative = text.hasPrefix("-")
            guard let magnitude = UInt256(number: negative ? String(text.dropFirst()) : text),
                  magnitude.bitWidth < bits || (negative && magnitude == UInt256.one.shiftedLeft(by: bits - 1))
            else { throw invalid }
            self = .int(negative ? magnitude.negated : magnitude)
        case .address:
            guard let address = Address(hex: text) else { throw invalid }
            self = .address(address)
        case .bool:
            switch text {
            case "true": self = .bool(true)
            case "false": self = .bool(false)
            default: throw invalid
            }
        case .fixedBytes(let count):
            guard let bytes = Hex.decode(text), bytes.count == count else { throw invalid }
            self = .fixedBytes(bytes)
        case .bytes:
            guard let bytes = Hex.decode(text) else { throw invalid }
            self = .bytes(bytes)
        case .string:
            self = .string(text)
        }
    }

    /// Human-readable: decimal numbers, hex addresses and bytes, strings as they are.
    public var description: String {
        switch self {
        case .uint(let value): value.decimalString
        case .int(let value): value.isNegative ? "-" + value.negated.decimalString : value.decimalString
        case .address(let address): address.description
        case .bool(let flag): flag ? "true" : "false"
        case .fixedBytes(let bytes), .bytes(let bytes): "0x" + Hex.encode(bytes)
        case .string(let text): text
        }
    }
}

extension UInt256 {
    /// Parses a decimal or 0x-hex number; nil when malformed or over 2²⁵⁶ − 1.
    public init?(number text: String) {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            guard text.count > 2 else { return nil }
            self.init(hex: text)
            return
        }
        guard !text.isEmpty else { return nil }
        let limit = UInt256.divide(.max, by: 10).quotient
        var value = UInt256.zero
        for character in text {
            guard let digit = character.wholeNumberValue, character.isASCII, value <= limit else { return nil }
            let (next, overflow) = (value &* 10).addingReportingOverflow(UInt256(digit))
            guard !overflow else { return nil }
            value = next
        }
        self = value
    }

    /// The value in decimal.
    public var decimalString: String {
        if isZero { return "0" }
        var digits: [Character] = []
        var rest = self
        let chunk = UInt256(10_000_000_000_000_000_000 as UInt64)
        while !rest.isZero {
            let (quotient, remainder) = UInt256.divide(rest, by: chunk)
            var part = String(remainder.l0)
            if !quotient.isZero { part = String(repeating: "0", count: 19 - part.count) + part }
            digits.insert(contentsOf: part, at: 0)
            rest = quotient
        }
        return String(digits)
    }
}
