/// A key of world state: a namespace (chaincode or contract) and a key within it. Equal, hashed and
/// ordered by UTF-8 bytes, as the ledger stores and scans them — not by `String`'s canonical
/// equivalence, under which "é" and "e\u{301}" would be one key though state holds them as two.
public struct StateKey: Hashable, Comparable, Sendable {
    /// The namespace.
    public var namespace: String
    /// The key.
    public var key: String

    /// Creates a state key.
    public init(namespace: String, key: String) {
        self.namespace = namespace
        self.key = key
    }

    public static func == (lhs: StateKey, rhs: StateKey) -> Bool {
        lhs.namespace.hasSameUTF8(as: rhs.namespace) && lhs.key.hasSameUTF8(as: rhs.key)
    }

    public func hash(into hasher: inout Hasher) {
        Self.combineUTF8(of: namespace, into: &hasher)
        Self.combineUTF8(of: key, into: &hasher)
    }

    private static func combineUTF8(of string: String, into hasher: inout Hasher) {
        var string = string
        hasher.combine(string.utf8.count)
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public static func < (lhs: StateKey, rhs: StateKey) -> Bool {
        if !lhs.namespace.hasSameUTF8(as: rhs.namespace) { return lhs.namespace.utf8Precedes(rhs.namespace) }
        return lhs.key.utf8Precedes(rhs.key)
    }
}

/// A value in world state with the version of the transaction that wrote it.
public struct VersionedValue: Hashable, Sendable {
    /// The value bytes.
    public var value: [UInt8]
    /// The (block, tx) that last wrote the key.
    public var version: Version

    /// Creates a versioned value.
    public init(value: [UInt8], version: Version) {
        self.value = value
        self.version = version
    }
}

/// One key of a namespace with its value and version, as returned by scans and rich queries.
public struct StateEntry: Hashable, Sendable {
    /// The key (within the queried namespace).
    public var key: String
    /// The value bytes.
    public var value: [UInt8]
    /// The (block, tx) that last wrote the key.
    public var version: Version

    /// Creates an entry.
    public init(key: String, value: [UInt8], version: Version) {
        self.key = key
        self.value = value
        self.version = version
    }
}

/// One modification of a key by a valid transaction.
public struct KeyModification: Hashable, Sendable {
    /// The transaction that wrote it.
    public var txID: String
    /// Its position: (block, tx).
    public var version: Version
    /// The value written, or nil for a delete.
    public var value: [UInt8]?

    /// Whether this modification deleted the key.
    public var isDelete: Bool { value == nil }

    /// Creates a history entry.
    public init(txID: String, version: Version, value: [UInt8]?) {
        self.txID = txID
        self.version = version
        self.value = value
    }
}
