import WeftCore

/// Collects a simulation's reads and writes and produces a deterministic `ReadWriteSet`: reads and
/// writes sorted by (namespace, key) with one entry per key (the first read, the last write).
struct ReadWriteSetRecorder {
    private struct Key: Hashable, Comparable {
        var namespace: String
        var key: String

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.namespace, lhs.key) < (rhs.namespace, rhs.key) }
    }

    private var reads: [Key: Version?] = [:]
    private var writes: [Key: [UInt8]?] = [:]
    private var rangeReads: [RangeRead] = []

    /// The value this transaction wrote to the key: nil when it did not write it, `.some(nil)` for a delete.
    func pendingWrite(namespace: String, key: String) -> [UInt8]?? {
        writes[Key(namespace: namespace, key: key)]
    }

    mutating func recordRead(namespace: String, key: String, version: Version?) {
        let id = Key(namespace: namespace, key: key)
        if reads[id] == nil { reads[id] = .some(version) }
    }

    mutating func recordWrite(_ write: KVWrite) {
        writes[Key(namespace: write.namespace, key: write.key)] = .some(write.value)
    }

    mutating func recordRange(_ range: RangeRead) { rangeReads.append(range) }

    /// The read-write set, sorted.
    func build() -> ReadWriteSet {
        ReadWriteSet(
            reads: reads.keys.sorted().map { KVRead(namespace: $0.namespace, key: $0.key, version: reads[$0] ?? nil) },
            rangeReads: rangeReads,
            writes: writes.keys.sorted().map { KVWrite(namespace: $0.namespace, key: $0.key, value: writes[$0] ?? nil) })
    }
}
