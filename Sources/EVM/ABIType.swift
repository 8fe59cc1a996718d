import WeftCore

/// The Solidity ABI types Weft encodes and decodes: the static uint<N>, int<N>, address, bool and
/// bytes<N>, and the dynamic bytes and string. (Arrays and tuples are not supported.)
public enum ABIType: Equatable, Sendable, CustomStringConvertible {
    case uint(bits: Int)
    case int(bits: Int)
    case address
    case bool
    case fixedBytes(Int)
    case bytes
    case string

    /// Parses a canonical type name; `uint` and `int` mean 256 bits.
    public init(parsing text: String) throws {
        let name = text.trimmingWhitespace()
        switch name {
        case "address": self = .address
        case "bool": self = .bool
        case "bytes": self = .bytes
        case "string": self = .string
        case "uint": self = .uint(bits: 256)
        case "int": self = .int(bits: 256)
        default:
            if name.hasPrefix("uint"), let bits = Int(name.dropFirst(4)), bits % 8 == 0, (8...256).contains(bits) {
                self = .uint(bits: bits)
            } else if name.hasPrefix("int"), let bits = Int(name.dropFirst(3)), bits % 8 == 0, (8...256).contains(bits) {
                self = .int(bits: bits)
            } else if name.hasPrefix("bytes"), let count = Int(name.dropFirst(5)), (1...32).contains(count) {
                self = .fixedBytes(count)
            } else {
                throw EVMError.unsupportedType(name)
            }
        }
    }

    /// True for bytes and string, which live in the tail of the encoding.
    public var isDynamic: Bool { self == .bytes || self == .string }

    /// The canonical name used in signatures.
    public var description: String {
        switch self {
        case .uint(let bits): "uint\(bits)"
        case .int(let bits): "int\(bits)"
        case .address: "address"
        case .bool: "bool"
        case .fixedBytes(let count): "bytes\(count)"
        case .bytes: "bytes"
        case .string: "string"
        }
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

private extension Set where Element == Character {
    static let whitespaces: Set<Character> = [" ", "\t", "\n"]
}
