import WeftCore

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

    /// The header hash of block `number`, or nil when the snapshot has no such block (`number` at or
    /// above `height`, or a snapshot that keeps no blocks). What the EVM's BLOCKHASH reads.
    func blockHash(number: UInt64) throws -> [UInt8]?
}

extension StateSnapshot {
    /// A snapshot that keeps no blocks (such as `InMemoryState`) knows no block hashes.
    public func blockHash(number: UInt64) throws -> [UInt8]? { nil }
}
