#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// Read-only connections to one ledger file, reused across snapshots. Opens a connection when none is
/// idle (a reader never waits for another reader or for the committer) and keeps at most
/// `maxIdle` of them open afterwards.
final class ReadConnectionPool: @unchecked Sendable {
    // @unchecked Sendable: `idle` and `isClosed` are only touched under `lock`.

    private let path: String
    private let configuration: LedgerConfiguration
    private let lock = NIOLock()
    private var idle: [SQLiteConnection] = []
    private var isClosed = false

    init(path: String, configuration: LedgerConfiguration) {
        self.path = path
        self.configuration = configuration
    }

    /// A connection for the caller's exclusive use; give it back with `checkin`.
    func checkout() throws(LedgerError) -> SQLiteConnection {
        lock.lock()
        if isClosed {
            lock.unlock()
            throw .closed
        }
        if let connection = idle.popLast() {
            lock.unlock()
            return connection
        }
        lock.unlock()
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        try connection.execute("""
            PRAGMA cache_size = -\(configuration.readerCacheSizeKiB);
            PRAGMA busy_timeout = 5000;
            PRAGMA mmap_size = \(configuration.mmapSizeBytes);
            """)
        return connection
    }

    /// Returns a connection; it must not be inside a transaction.
    func checkin(_ connection: SQLiteConnection) {
        lock.lock()
        defer { lock.unlock() }
        if isClosed || idle.count >= configuration.maxIdleReaders {
            connection.close()
        } else {
            idle.append(connection)
        }
    }

    /// Closes the idle connections; connections checked out are closed when they come back.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        isClosed = true
        for connection in idle { connection.close() }
        idle.removeAll()
    }
}
