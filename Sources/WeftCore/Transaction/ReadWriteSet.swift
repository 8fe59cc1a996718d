/// A key read during simulation, with the version seen (nil when the key was absent).
///
/// Canonical layout: `namespace` (string), `key` (string), `version` (optional Version).
public struct KVRead: Hashable, Sendable, CanonicalCodable {
    public var namespace: String
    public var key: String
    /// The committed version read; nil means the key did not exist.
    public var version: Version?

    public init(namespace: String, key: String, version: Version?) {
        self.namespace = namespace
        self.key = key
        self.version = version
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(namespace)
        writer.write(key)
        writer.write(version)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        namespace = try reader.readString()
        key = try reader.readString()
        version = try reader.readOptional(Version.self)
    }
}

/// A range read: the half-open key range `[startKey, endKey)` scanned and every key it returned with
/// its version, so validation can re-run the scan and detect phantoms (keys added, removed or changed).
///
/// Canonical layout: `namespace`, `startKey`, `endKey` (strings), `exhausted` (bool: the scan reached
/// the end of the range rather than stopping early), `results` (u32 count, then KVRead each).
public struct RangeRead: Hashable, Sendable, CanonicalCodable {
    public var namespace: String
    public var startKey: String
    /// Exclusive end; the empty string means "to the end of the namespace".
    public var endKey: String
    /// True when the scan consumed the whole range; false when the chaincode stopped early, in which
    /// case only the keys up to the last returned one are re-checked.
    public var exhausted: Bool
    /// The keys returned, in key order, with the versions seen.
    public var results: [KVRead]

    public init(namespace: String, startKey: String, endKey: String, exhausted: Bool, results: [KVRead]) {
        self.namespace = namespace
        self.startKey = startKey
        self.endKey = endKey
        self.exhausted = exhausted
        self.results = results
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(namespace)
        writer.write(startKey)
        writer.write(endKey)
        writer.write(exhausted)
        writer.write(results)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        namespace = try reader.readString()
        startKey = try reader.readString()
        endKey = try reader.readString()
        exhausted = try reader.readBool()
        results = try reader.readArray(of: KVRead.self, minimumElementSize: 9)
    }
}

/// Everything a simulation read and wrote. Reads and writes are sorted by (namespace, key) and hold
/// one entry per key, so the same simulation on the same snapshot gives byte-identical sets.
///
/// Canonical layout: `reads` (KVRead list), `rangeReads` (RangeRead list, in the order performed),
/// `writes` (KVWrite list).
public struct ReadWriteSet: Hashable, Sendable, CanonicalCodable {
    public var reads: [KVRead]
    public var rangeReads: [RangeRead]
    public var writes: [KVWrite]

    public init(reads: [KVRead] = [], rangeReads: [RangeRead] = [], writes: [KVWrite] = []) {
        self.reads = reads
        self.rangeReads = rangeReads
        self.writes = writes
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(reads)
        writer.write(rangeReads)
        writer.write(writes)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        reads = try reader.readArray(of: KVRead.self, minimumElementSize: 9)
        rangeReads = try reader.readArray(of: RangeRead.self, minimumElementSize: 17)
        writes = try reader.readArray(of: KVWrite.self, minimumElementSize: 9)
    }
}
