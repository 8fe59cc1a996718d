import WeftCore

/// A key of world state: a namespace (chaincode or contract) and a key within it. Keys are compared,
/// sorted and stored as their UTF-8 bytes.
public struct StateKey: Hashable, Sendable {
    /// The namespace.
    public var namespace: String
    /// The key.
    public var key: String

    /// Creates a state key.
    public init(namespace: String, key: String) {
        self.namespace = namespace
        self.key = key
    }
}

/// A value in world state with the version of the transaction that wrote it.
public struct VersionedValue: Sendable, Equatable {
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
public struct StateEntry: Sendable, Equatable {
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

/// One page of a range or composite-key scan.
public struct StatePage: Sendable, Equatable {
    /// The entries in ascending key order (UTF-8 byte order).
    public var entries: [StateEntry]
    /// Pass this to get the next page; nil when the scan is complete.
    public var bookmark: String?
    /// The page size that was applied (the requested size capped at the configured maximum).
    public var pageSize: Int
}

/// The order of a key's history.
public enum HistoryOrder: Sendable {
    /// Oldest modification first.
    case oldestFirst
    /// Newest modification first.
    case newestFirst
}

/// One modification of a key by a valid transaction.
public struct KeyModification: Sendable, Equatable {
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

/// One page of a key's history.
public struct HistoryPage: Sendable, Equatable {
    /// The modifications in the requested order.
    public var entries: [KeyModification]
    /// Pass this to get the next page; nil when the history is complete.
    public var bookmark: String?
    /// The page size that was applied.
    public var pageSize: Int
}

/// Where a transaction sits in the chain and what was decided about it.
public struct TransactionStatus: Sendable, Equatable {
    /// The transaction id.
    public var txID: String
    /// The block that holds it.
    public var blockNumber: UInt64
    /// Its position in the block.
    public var txNumber: UInt32
    /// Its validation code.
    public var validationCode: ValidationCode
}

/// A committed transaction with its envelope bytes.
public struct TransactionRecord: Sendable, Equatable {
    /// Where it is and its code.
    public var status: TransactionStatus
    /// The envelope bytes as ordered.
    public var envelope: [UInt8]
}
