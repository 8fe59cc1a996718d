#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import WeftCore

/// A consistent read view of a ledger: one read connection inside one read transaction, so every
/// query sees the state after the same block (`chainInfo`) while the committer goes on.
///
/// Calls on one snapshot are serialized; use one snapshot per thread for parallel reads. Close it
/// when done (`close()`, or let it be released): an open snapshot keeps the WAL from being
/// checkpointed past it.
public final class LedgerSnapshot: @unchecked Sendable {
    // @unchecked Sendable: the connection and `isClosed` are only touched under `lock`.

    /// The chain as this snapshot sees it.
    public let chainInfo: ChainInfo
    /// The largest page size a scan returns; larger requests are capped to it.
    public let maxPageSize: Int

    private let lock = NIOLock()
    private let pool: ReadConnectionPool
    private let claim: ReadConnectionPool.Claim
    private var connection: SQLiteConnection?

    init(pool: ReadConnectionPool, maxPageSize: Int, claim: ReadConnectionPool.Claim = .reader) throws(LedgerError) {
        self.pool = pool
        self.claim = claim
        self.maxPageSize = max(1, maxPageSize)
        let connection = try pool.checkout(claim)
        do {
            try connection.execute("BEGIN")
            // The first read fixes the snapshot.
            let savepoint = try connection.prepared("SELECT height, block_hash, commit_hash FROM savepoint WHERE id = 0")
            if try savepoint.step() {
                chainInfo = ChainInfo(
                    height: UInt64(bitPattern: savepoint.int64(0)), currentBlockHash: savepoint.blob(1), commitHash: savepoint.blob(2))
            } else {
                chainInfo = .empty
            }
            savepoint.reset()
        } catch {
            try? connection.execute("ROLLBACK")
            pool.checkin(connection, claim: claim)
            throw error
        }
        self.connection = connection
    }

    deinit { close() }

    /// Ends the read transaction and returns the connection to the pool. Safe to call twice.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard let connection else { return }
        self.connection = nil
        do {
            try connection.execute("COMMIT")
            pool.checkin(connection, claim: claim)
        } catch {
            connection.close()
            pool.release(claim)
        }
    }

    /// Runs `body` with the connection, serialized with other calls on this snapshot.
    func withConnection<T>(_ body: (SQLiteConnection) throws(LedgerError) -> T) throws(LedgerError) -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let connection else { throw .closed }
        return try body(connection)
    }

    /// The page size to apply: at least 1, at most `maxPageSize`.
    func effectivePageSize(_ requested: Int) throws(LedgerError) -> Int {
        guard requested >= 1 else { throw .invalidArgument("page size \(requested) must be at least 1") }
        return min(requested, maxPageSize)
    }

    // MARK: - Point reads

    /// The value and version of `key` in `namespace`, or nil when the key is absent.
    public func value(namespace: String, key: String) throws(LedgerError) -> VersionedValue? {
        try withConnection { (connection) throws(LedgerError) in
            let statement = try connection.prepared("SELECT value, block, tx FROM state WHERE namespace = ?1 AND key = ?2")
            defer { statement.reset() }
            try statement.bind(1, text: namespace)
            try statement.bind(2, utf8Blob: key)
            guard try statement.step() else { return nil }
            return VersionedValue(value: statement.blob(0), version: Self.version(statement, 1))
        }
    }

    /// The committed versions of `keys`, aligned with them: nil for a key absent from state. This is
    /// what MVCC validation compares read versions against.
    public func versions(of keys: [StateKey]) throws(LedgerError) -> [Version?] {
        try withConnection { (connection) throws(LedgerError) in
            let statement = try connection.prepared("SELECT block, tx FROM state WHERE namespace = ?1 AND key = ?2")
            defer { statement.reset() }
            var result: [Version?] = []
            result.reserveCapacity(keys.count)
            for key in keys {
                statement.reset()
                try statement.bind(1, text: key.namespace)
                try statement.bind(2, utf8Blob: key.key)
                result.append(try statement.step() ? Self.version(statement, 0) : nil)
            }
            return result
        }
    }

    static func version(_ statement: SQLiteStatement, _ column: Int32) -> Version {
        Version(blockNumber: UInt64(bitPattern: statement.int64(column)), txNumber: UInt32(truncatingIfNeeded: statement.int64(column + 1)))
    }
}
