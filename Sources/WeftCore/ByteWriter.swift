/// Appends values in Weft's canonical layout (see `docs/encoding.md`).
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer, optionally reserving room for `capacity` bytes.
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Writes one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Writes a boolean as one byte, 0 or 1.
    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Writes a 16-bit integer, big-endian.
    public mutating func write(_ value: UInt16) { writeBigEndian(value) }

    /// Writes a 32-bit integer, big-endian.
    public mutating func write(_ value: UInt32) { writeBigEndian(value) }

    /// Writes a 64-bit integer, big-endian.
    public mutating func write(_ value: UInt64) { writeBigEndian(value) }

    /// Writes a signed 64-bit integer as its two's-complement bit pattern, big-endian.
    public mutating func write(_ value: Int64) { writeBigEndian(UInt64(bitPattern: value)) }

    /// Writes a byte string: a `u32` length, then the bytes.
    public mutating func write(lengthPrefixed value: some Collection<UInt8>) {
        write(UInt32(truncatingIfNeeded: value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a UTF-8 string: a `u32` byte length, then the UTF-8 bytes.
    public mutating func write(_ value: String) {
        write(lengthPrefixed: value.utf8)
    }

    /// Writes bytes as they are, with no length; for fixed-size fields such as hashes.
    public mutating func write(raw value: some Sequence<UInt8>) {
        bytes.append(contentsOf: value)
    }

    /// Writes a value's canonical encoding.
    public mutating func write(_ value: some CanonicalEncodable) {
        value.encode(to: &self)
    }

    /// Writes a sequence: a `u32` count, then each element's encoding.
    public mutating func write<Element: CanonicalEncodable>(_ values: [Element]) {
        write(UInt32(truncatingIfNeeded: values.count))
        for value in values { value.encode(to: &self) }
    }

    /// Writes an optional: one byte 0 for absent, or 1 followed by the value.
    public mutating func write<Wrapped: CanonicalEncodable>(_ value: Wrapped?) {
        switch value {
        case .none: write(UInt8(0))
        case .some(let wrapped):
            write(UInt8(1))
            wrapped.encode(to: &self)
        }
    }

    private mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
