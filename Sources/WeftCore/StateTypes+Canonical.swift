// Canonical encodings of the world-state value types, for ledger query results on the wire.

extension VersionedValue: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) {
        writer.write(lengthPrefixed: value)
        writer.write(version)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(value: try reader.readLengthPrefixed(), version: try reader.read())
    }
}

extension StateEntry: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) {
        writer.write(key)
        writer.write(lengthPrefixed: value)
        writer.write(version)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(key: try reader.readString(), value: try reader.readLengthPrefixed(), version: try reader.read())
    }
}

extension KeyModification: CanonicalCodable {
    public func encode(to writer: inout ByteWriter) {
        writer.write(txID)
        writer.write(version)
        writer.write(value.map(Bytes.init))
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(txID: try reader.readString(), version: try reader.read(), value: try reader.readOptional(Bytes.self)?.bytes)
    }
}
