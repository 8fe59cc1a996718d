/// One write to world state: a value for a key in a namespace, or the key's deletion.
///
/// Canonical layout: `namespace` (string), `key` (string), `value` (optional bytes: tag 0 = delete).
public struct KVWrite: Hashable, Sendable, CanonicalCodable {
    /// The chaincode or contract namespace the key lives in.
    public var namespace: String
    /// The key within the namespace.
    public var key: String
    /// The new value; nil deletes the key.
    public var value: [UInt8]?

    /// Creates a write; a nil `value` is a delete.
    public init(namespace: String, key: String, value: [UInt8]?) {
        self.namespace = namespace
        self.key = key
        self.value = value
    }

    /// Whether this write deletes the key.
    public var isDelete: Bool { value == nil }

    public func encode(to writer: inout ByteWriter) {
        writer.write(namespace)
        writer.write(key)
        writer.write(value.map(Bytes.init))
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        namespace = try reader.readString()
        key = try reader.readString()
        value = try reader.readOptional(Bytes.self)?.bytes
    }
}
