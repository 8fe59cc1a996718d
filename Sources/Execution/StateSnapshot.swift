import WeftCore

/// A value in world state with the version of the transaction that wrote it.
public struct VersionedValue: Hashable, Sendable {
    public var value: [UInt8]
    public var version: Version

    public init(value: [UInt8], version: Version) {
        self.value = value
        self.version = version
    }
}

/// One key of a scan or query result.
public struct StateEntry: Hashable, Sendable {
    public var key: String
    public var value: [UInt8]
    public var version: Version

    public init(key: String, value: [UInt8], version: Version) {
        self.key = key
        self.value = value
        self.version = version
    }
}

/// One change in a key's history: the transaction that made it and the value it left (nil: deleted).
public struct KeyModification: Hashable, Sendable {
    public var txID: String
    public var version: Version
    public var value: [UInt8]?

    public init(txID: String, version: Version, value: [UInt8]?) {
        self.txID = txID
        self.version = version
        self.value = value
    }

    /// Whether this change deleted the key.
    public var isDelete: Bool { value == nil }
}

/// Why a state query was refused because of what the caller asked (not because storage failed).
public struct StateQueryError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A consistent, read-only view of committed world state at one height: what simulation and queries
/// read. Every call on one snapshot sees the same state, whatever commits meanwhile.
///
/// Implementations throw `StateQueryError` for bad requests (e.g. an invalid selector) and any other
/// error for storage failures; the simulator reports the former to the chaincode and refuses to endorse
/// on the latter.
public protocol StateSnapshot {
    /// The number of blocks committed when the snapshot was taken.
    var height: UInt64 { get }

    /// The value and version of `key`, or nil when absent.
    func value(namespace: String, key: String) throws -> VersionedValue?

    /// Keys in `[start, end)` in key order (an empty `end` means the end of the namespace), at most `limit`.
    func scan(namespace: String, from start: String, to end: String, limit: Int) throws -> [StateEntry]

    /// Keys whose JSON value matches `selector` (the ledger's selector language), at most `limit`.
    func query(namespace: String, selector: String, limit: Int) throws -> [StateEntry]

    /// The changes of `key`, newest first, at most `limit`.
    func history(namespace: String, key: String, limit: Int) throws -> [KeyModification]
}
