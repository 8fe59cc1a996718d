import WeftCrypto

/// Solidity ABI encoding of call data and decoding of results and revert reasons.
public enum ABI {
    /// The head/tail encoding of `values` as `types` (a tuple).
    public static func encode(_ values: [ABIValue], as types: [ABIType]) throws -> [UInt8] {
        guard values.count == types.count else { throw EVMError.argumentCount(expected: types.count, got: values.count) }
        var head: [UInt8] = []
        var tail: [UInt8] = []
        let headSize = 32 * types.count
        for (value, type) in zip(values, types) {
            switch (type, value) {
            case (.bytes, .bytes(let bytes)), (.string, .bytes(let bytes)):
                head += UInt256(headSize + tail.count).bigEndianBytes
                tail += encodeDynamic(bytes)
            case (.string, .string(let text)):
                head += UInt256(headSize + tail.count).bigEndianBytes
                tail += encodeDynamic(Array(text.utf8))
            default:
                head += try encodeStatic(value, as: type)
            }
        }
        return head + tail
    }

    private static func encodeDynamic(_ bytes: [UInt8]) -> [UInt8] {
        let padding = (32 - bytes.count % 32) % 32
        return UInt256(bytes.count).bigEndianBytes + bytes + [UInt8](repeating: 0, count: padding)
    }

    private static func encodeStatic(_ value: ABIValue, as type: ABIType) throws -> [UInt8] {
        let mismatch = EVMError.invalidArgument(type: type.description, value: value.description)
        switch (type, value) {
        case (.uint(let bits), .uint(let word)):
            guard word.bitWidth <= bits else { throw mismatch }
            return word.bigEndianBytes
        case (.int(let bits), .int(let word)):
            guard bits == 256 || UInt256.signExtend(UInt256(bits / 8 - 1), word) == word else { throw mismatch }
            return word.bigEndianBytes
        case (.address, .address(let address)):
            return address.word.bigEndianBytes
        case (.bool, .bool(let flag)):
            return (flag ? UInt256.one : .zero).bigEndianBytes
        case (.fixedBytes(let count), .fixedBytes(let bytes)):
            guard bytes.count == count else { throw mismatch }
            return bytes + [UInt8](repeating: 0, count: 32 - count)
        default:
            throw mismatch
        }
    }

    /// Decodes `data` as the tuple `types`.
    public static func decode(_ data: [UInt8], as types: [ABIType]) throws -> [ABIValue] {
        try types.enumerated().map { index, type in
            let word = try word(in: data, at: 32 * index)
            switch type {
            case .uint(let bits):
                guard word.bitWidth <= bits else { throw EVMError.malformedData("uint\(bits) out of range") }
                return .uint(word)
            case .int(let bits):
                guard bits == 256 || UInt256.signExtend(UInt256(bits / 8 - 1), word) == word else {
                    throw EVMError.malformedData("int\(bits) out of range")
                }
                return .int(word)
            case .address:
                guard word.bitWidth <= 160 else { throw EVMError.malformedData("address with high bits set") }
                return .address(Address(word: word))
            case .bool:
                guard word <= .one else { throw EVMError.malformedData("bool neither 0 nor 1") }
                return .bool(word == .one)
            case .fixedBytes(let count):
                return .fixedBytes(Array(word.bigEndianBytes[..<count]))
            case .bytes, .string:
                guard let offset = word.clamped(to: data.count) else { throw EVMError.malformedData("offset past the end") }
                guard let length = try self.word(in: data, at: offset).clamped(to: data.count - offset - 32) else {
                    throw EVMError.malformedData("length past the end")
                }
                let bytes = Array(data[(offset + 32)..<(offset + 32 + length)])
                if type == .bytes { return .bytes(bytes) }
                guard let text = String(validating: bytes, as: UTF8.self) else { throw EVMError.malformedData("string not UTF-8") }
                return .string(text)
            }
        }
    }

    private static func word(in data: [UInt8], at offset: Int) throws -> UInt256 {
        guard offset >= 0, offset + 32 <= data.count, let word = UInt256(bigEndian: data[offset..<(offset + 32)]) else {
            throw EVMError.malformedData("\(data.count) bytes, need a word at \(offset)")
        }
        return word
    }

    /// The selector of `Error(string)`, the revert data of `require`/`assert` with a reason.
    public static let errorSelector: [UInt8] = [0x08, 0xc3, 0x79, 0xa0]

    /// The reason of revert data `Error(string)`, or nil for other revert data.
    public static func revertReason(_ output: [UInt8]) -> String? {
        guard output.count >= 4, Array(output[..<4]) == errorSelector,
              case .string(let reason)? = try? decode(Array(output[4...]), as: [.string]).first
        else { return nil }
        return reason
    }
}
