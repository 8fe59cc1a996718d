import WeftCore

/// World state held in memory: a deterministic `StateSnapshot` for tests and tools. Values are
/// versioned like the ledger's; `apply` commits writes at a given version.
///
/// It supports the equality subset of the selector language (`{"field": value, ...}` over top-level
/// fields of JSON objects); the ledger implements the full language.
public struct InMemoryState: StateSnapshot, Sendable {
    private var entries: [String: [String: VersionedValue]] = [:]
    private var histories: [String: [String: [KeyModification]]] = [:]
    public private(set) var height: UInt64 = 0

    public init() {}

    /// Applies `writes` as transaction `version` (block and position) made by `txID`, and moves the height
    /// past that block.
    public mutating func apply(_ writes: [KVWrite], version: Version, txID: String = "") {
        for write in writes {
            if let value = write.value {
                entries[write.namespace, default: [:]][write.key] = VersionedValue(value: value, version: version)
            } else {
                entries[write.namespace]?[write.key] = nil
            }
            histories[write.namespace, default: [:]][write.key, default: []]
                .append(KeyModification(txID: txID, version: version, value: write.value))
        }
        height = max(height, version.blockNumber + 1)
    }

    public func value(namespace: String, key: String) throws -> VersionedValue? { entries[namespace]?[key] }

    public func scan(namespace: String, from start: String, to end: String, limit: Int) throws -> [StateEntry] {
        // An empty start key scans simple keys only (composite keys begin with U+0000), as the ledger does.
        let lower = start.isEmpty ? "\u{1}" : start
        let keys = (entries[namespace] ?? [:]).keys.filter { $0 >= lower && (end.isEmpty || $0 < end) }.sorted()
        return keys.prefix(limit).compactMap { key in
            entries[namespace]?[key].map { StateEntry(key: key, value: $0.value, version: $0.version) }
        }
    }

    public func query(namespace: String, selector: String, limit: Int) throws -> [StateEntry] {
        let wanted = try EqualitySelector(selector)
        return try scan(namespace: namespace, from: "", to: "", limit: .max)
            .filter { wanted.matches($0.value) }
            .prefix(limit).map { $0 }
    }

    public func history(namespace: String, key: String, limit: Int) throws -> [KeyModification] {
        Array((histories[namespace]?[key] ?? []).reversed().prefix(limit))
    }
}
