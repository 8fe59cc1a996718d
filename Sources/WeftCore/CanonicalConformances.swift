// Canonical encodings of the standard types that Weft's messages are built from.

extension UInt8: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) { writer.write(self) }
    public init(from reader: inout ByteReader) throws(DecodingError) { self = try reader.readUInt8() }
}

extension UInt32: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) { writer.write(self) }
    public init(from reader: inout ByteReader) throws(DecodingError) { self = try reader.readUInt32() }
}

extension UInt64: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) { writer.write(self) }
    public init(from reader: inout ByteReader) throws(DecodingError) { self = try reader.readUInt64() }
}

extension Int64: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) { writer.write(self) }
    public init(from reader: inout ByteReader) throws(DecodingError) { self = try reader.readInt64() }
}

extension Bool: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) { writer.write(self) }
    public init(from reader: inout ByteReader) throws(DecodingError) { self = try reader.readBool() }
}

extension String: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) { writer.write(self) }
    public init(from reader: inout ByteReader) throws(DecodingError) { self = try reader.readString() }
}

/// A byte string that encodes with a `u32` length prefix (an `[UInt8]` array of `UInt8` elements would
/// encode the same way, but this names the intent and decodes without per-element calls).
public struct Bytes: Hashable, Sendable, CanonicalCodable, ExpressibleByArrayLiteral {
    /// The bytes.
    public var bytes: [UInt8]

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init(arrayLiteral elements: UInt8...) { bytes = elements }

    public func encode(to writer: inout ByteWriter) { writer.write(lengthPrefixed: bytes) }

    public init(from reader: inout ByteReader) throws(DecodingError) { bytes = try reader.readLengthPrefixed() }
}
