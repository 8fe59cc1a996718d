/// A type with exactly one byte encoding, used for everything Weft signs or hashes.
///
/// The layout rules are in `docs/encoding.md`: integers are fixed-width big-endian, byte strings and
/// UTF-8 strings carry a `u32` length prefix, sequences a `u32` count, optionals a one-byte tag.
/// Conforming types write their fields in declaration order with no padding and no field names.
public protocol CanonicalEncodable {
    /// Appends this value's canonical bytes to `writer`.
    func encode(to writer: inout ByteWriter)
}

/// A type that can be read back from its canonical encoding.
///
/// Decoding is total: any byte string either decodes or throws a `DecodingError`; it never traps.
public protocol CanonicalDecodable {
    /// Reads one value from `reader`, advancing it past the value's bytes.
    init(from reader: inout ByteReader) throws(DecodingError)
}

/// A type with a canonical encoding in both directions.
public typealias CanonicalCodable = CanonicalEncodable & CanonicalDecodable

extension CanonicalEncodable {
    /// The canonical bytes of this value.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter()
        encode(to: &writer)
        return writer.bytes
    }
}

extension CanonicalDecodable {
    /// Decodes a value that must span `bytes` exactly; trailing bytes are an error, because a
    /// canonical encoding has one byte string per value.
    public init(canonicalBytes bytes: some Collection<UInt8>) throws(DecodingError) {
        var reader = ByteReader(bytes)
        self = try Self(from: &reader)
        try reader.expectEnd()
    }
}
