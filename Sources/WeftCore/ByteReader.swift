/// Reads values in Weft's canonical layout, checking every length against the bytes that remain
/// before using it, so a hostile length can neither trap nor make it allocate.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var offset: Int

    /// Creates a reader over a copy of `bytes`.
    public init(_ bytes: some Collection<UInt8>) {
        self.bytes = Array(bytes)
        offset = 0
    }

    /// How many bytes are left to read.
    public var remaining: Int { bytes.count - offset }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// Throws unless every byte has been read.
    public func expectEnd() throws(DecodingError) {
        if !isAtEnd { throw .trailingBytes(offset: offset, count: remaining) }
    }

    /// Reads one byte.
    public mutating func readUInt8() throws(DecodingError) -> UInt8 {
        try need(1, for: "u8")
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a boolean; only the bytes 0 and 1 are accepted.
    public mutating func readBool() throws(DecodingError) -> Bool {
        let start = offset
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw .invalidValue(offset: start, "boolean byte \(other) is neither 0 nor 1")
        }
    }

    /// Reads a big-endian 16-bit integer.
    public mutating func readUInt16() throws(DecodingError) -> UInt16 { try readBigEndian() }

    /// Reads a big-endian 32-bit integer.
    public mutating func readUInt32() throws(DecodingError) -> UInt32 { try readBigEndian() }

    /// Reads a big-endian 64-bit integer.
    public mutating func readUInt64() throws(DecodingError) -> UInt64 { try readBigEndian() }

    /// Reads a big-endian two's-complement 64-bit integer.
    public mutating func readInt64() throws(DecodingError) -> Int64 {
        Int64(bitPattern: try readBigEndian() as UInt64)
    }

    /// Reads exactly `count` bytes with no length prefix.
    public mutating func readRaw(count: Int) throws(DecodingError) -> [UInt8] {
        guard count >= 0 else { throw .invalidValue(offset: offset, "negative length \(count)") }
        try need(count, for: "\(count)-byte field")
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads a `u32`-length-prefixed byte string.
    public mutating func readLengthPrefixed() throws(DecodingError) -> [UInt8] {
        let lengthOffset = offset
        let length = Int(try readUInt32())
        guard length <= remaining else {
            throw .lengthExceedsInput(offset: lengthOffset, length: length, remaining: remaining)
        }
        return try readRaw(count: length)
    }

    /// Reads a `u32`-length-prefixed UTF-8 string; invalid UTF-8 is an error.
    public mutating func readString() throws(DecodingError) -> String {
        let start = offset
        let raw = try readLengthPrefixed()
        guard let string = String(validating: raw, as: UTF8.self) else {
            throw .invalidValue(offset: start, "string is not valid UTF-8")
        }
        return string
    }

    /// Reads a value of a canonical type.
    public mutating func read<T: CanonicalDecodable>(_ type: T.Type = T.self) throws(DecodingError) -> T {
        try T(from: &self)
    }

    /// Reads a `u32` count followed by that many elements. The count is checked against the bytes
    /// that remain (every element takes at least `minimumElementSize` bytes) before any allocation.
    public mutating func readArray<T: CanonicalDecodable>(
        of type: T.Type = T.self, minimumElementSize: Int = 1
    ) throws(DecodingError) -> [T] {
        let countOffset = offset
        let count = Int(try readUInt32())
        let floor = max(minimumElementSize, 0)
        if floor > 0, count > remaining / floor {
            throw .lengthExceedsInput(offset: countOffset, length: count, remaining: remaining)
        }
        var elements: [T] = []
        elements.reserveCapacity(min(count, remaining))
        for _ in 0..<count { elements.append(try T(from: &self)) }
        return elements
    }

    /// Reads an optional written as a 0/1 tag byte followed by the value when present.
    public mutating func readOptional<T: CanonicalDecodable>(_ type: T.Type = T.self) throws(DecodingError) -> T? {
        let start = offset
        switch try readUInt8() {
        case 0: return nil
        case 1: return try T(from: &self)
        case let tag: throw .invalidValue(offset: start, "optional tag \(tag) is neither 0 nor 1")
        }
    }

    private mutating func need(_ count: Int, for what: String) throws(DecodingError) {
        if count > remaining { throw .truncated(offset: offset, needed: count, remaining: remaining, what: what) }
    }

    private mutating func readBigEndian<T: FixedWidthInteger>() throws(DecodingError) -> T {
        let size = MemoryLayout<T>.size
        try need(size, for: "u\(size * 8)")
        var value: T = 0
        for index in offset..<offset + size { value = value << 8 | T(bytes[index]) }
        offset += size
        return value
    }
}
