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

/// A range read: the half-open key range `[startKey, endKey)` that a simulation scanned, and every key
/// it returned with its version. Validation re-runs the scan over the same range and compares, so a key
/// added, removed or changed inside the range since simulation is a phantom. A paged scan records the
/// range up to (excluding) the first key of the next page, so each record covers exactly what was seen.
///
/// Canonical layout: `namespace`, `startKey`, `endKey` (strings), `results` (u32 count, then KVRead each).
public struct RangeRead: Hashable, Sendable, CanonicalCodable {
    public var namespace: String
    public var startKey: String
    /// Exclusive end; the empty string means "to the end of the namespace".
    public var endKey: String
    /// The keys returned, in key order, with the versions seen.
    public var results: [KVRead]

    public init(namespace: String, startKey: String, endKey: String, results: [KVRead]) {
        self.namespace = namespace
        self.startKey = startKey
        self.endKey = endKey
        self.results = results
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(namespace)
        writer.write(startKey)
        writer.write(endKey)
        writer.write(results)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        namespace = try reader.readString()
        startKey = try reader.readString()
        endKey = try reader.readString()
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
        rangeReads = try reader.readArray(of: RangeRead.self, minimumElementSize: 16)
        writes = try reader.readArray(of: KVWrite.self, minimumElementSize: 9)
    }
}
