import WeftCore

/// A log in Weft's canonical encoding, as the EVM chaincode packs a transaction's logs into its
/// chaincode event (docs/encoding.md, "EVM"):
/// `address: raw[20]`, `topics: u32 count (0…4), then raw[32] each`, `data: bytes`.
extension Log: CanonicalCodable {
    /// The most topics a log has (LOG4).
    public static let maxTopics = 4

    public func encode(to writer: inout ByteWriter) {
        writer.write(raw: address.bytes)
        writer.write(UInt32(topics.count))
        for topic in topics { writer.write(raw: topic.bigEndianBytes) }
        writer.write(lengthPrefixed: data)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let address = Address(bytes: try reader.readRaw(count: 20)) ?? Address(0)
        let countOffset = reader.offset
        let count = try reader.readUInt32()
        guard count <= Self.maxTopics else {
            throw .invalidValue(offset: countOffset, "a log has at most \(Self.maxTopics) topics, got \(count)")
        }
        var topics: [UInt256] = []
        for _ in 0..<count { topics.append(UInt256(bigEndian: try reader.readRaw(count: 32)) ?? .zero) }
        self.init(address: address, topics: topics, data: try reader.readLengthPrefixed())
    }
}

extension Log {
    /// The canonical encoding of a transaction's logs, in emission order: `list<Log>`.
    public static func encodeList(_ logs: [Log]) -> [UInt8] {
        var writer = ByteWriter()
        writer.write(logs)
        return writer.bytes
    }

    /// Decodes `encodeList`'s bytes; throws on anything else (including trailing bytes).
    public static func decodeList(_ bytes: some Collection<UInt8>) throws(DecodingError) -> [Log] {
        var reader = ByteReader(bytes)
        let logs = try reader.readArray(of: Log.self, minimumElementSize: 28)
        try reader.expectEnd()
        return logs
    }
}
