#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import WeftCore

/// A channel's ledger: one SQLite file (WAL) holding the blocks, the transaction index, world state
/// with versions, key history and the savepoint.
///
/// One `Ledger` is the file's only writer: `commit(_:transactions:)` applies a whole block in one
/// SQLite transaction. Reads go through `snapshot()`, each on its own read connection that sees one
/// consistent state and never waits for the committer; at most `maxReaders` read connections are open
/// (the committer has one more of its own). Every call but `withSnapshot` is synchronous and may block
/// on disk, so callers choose the thread (never a NIO event loop or Swift's cooperative pool: use
/// `withSnapshot`, or run the call on the `BlockingExecutor`). Safe to share between threads.
public final class Ledger: @unchecked Sendable {
    // @unchecked Sendable: the writer connection and `tip` are only touched under `lock`; the pool
    // has its own lock; `path` and `configuration` are immutable.

    /// The ledger file.
    public let path: String
    /// The configuration it was opened with.
    public let configuration: LedgerConfiguration

    let lock = NIOLock()
    var writer: SQLiteConnection?
    var tip: ChainInfo
    let pool: ReadConnectionPool
    /// Admission of async readers (`withSnapshot`) to the pool's `maxReaders` connections.
    let readerPermits: ReaderPermits
    let checkpointer: WALCheckpointer?

    private init(
        path: String, configuration: LedgerConfiguration, writer: SQLiteConnection, tip: ChainInfo, checkpointer: WALCheckpointer?
    ) {
        self.path = path
        self.configuration = configuration
        self.writer = writer
        self.tip = tip
        self.checkpointer = checkpointer
        pool = ReadConnectionPool(path: path, configuration: configuration)
        readerPermits = ReaderPermits(count: pool.maxReaders)
    }

    deinit { close() }

    /// Opens the ledger at `path`, creating an empty one when the file does not exist (or is empty).
    ///
    /// Checks that the file is a Weft ledger and that the hash-chain tail agrees with the savepoint
    /// (the last block's stored hash is the hash of its header, it links to the block before it, and its
    /// commit hash is the savepoint's); a damaged or truncated file throws `.corrupt` naming the problem.
    public static func open(path: String, configuration: LedgerConfiguration = LedgerConfiguration()) throws(LedgerError) -> Ledger {
        try FileCheck.checkHeader(path: path)
        try FileCheck.checkSize(path: path)
        let writer = try SQLiteConnection(path: path, mode: .readWriteCreate)
        do throws(LedgerError) {
            try configureWriter(writer, configuration: configuration, path: path)
            try LedgerSchema.prepare(writer, path: path, create: true)
            if configuration.quickCheckOnOpen { try FileCheck.quickCheck(writer, path: path) }
            let tip = try TailCheck.run(writer, path: path)
            var checkpointer: WALCheckpointer?
            if configuration.checkpointInBackground {
                let background = try WALCheckpointer(path: path, configuration: configuration)
                do throws(LedgerError) { try background.attach(to: writer) } catch {
                    background.stop()
                    throw error
                }
                checkpointer = background
            }
            return Ledger(path: path, configuration: configuration, writer: writer, tip: tip, checkpointer: checkpointer)
        } catch {
            writer.close()
            throw error
        }
    }

    private static func configureWriter(_ writer: SQLiteConnection, configuration: LedgerConfiguration, path: String) throws(LedgerError) {
        try writer.execute("PRAGMA busy_timeout = 5000")
        // Takes effect only on a file without tables (before the WAL switch); ignored otherwise.
        let pageSize = configuration.pageSize
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw .invalidArgument("page size \(pageSize) is not a power of two between 512 and 65536")
        }
        try writer.execute("PRAGMA page_size = \(pageSize)")
        // Also only on a new file: lets `prune` return freed pages to the file system.
        if configuration.incrementalVacuum { try writer.execute("PRAGMA auto_vacuum = INCREMENTAL") }
        let mode = try writer.scalarText("PRAGMA journal_mode = WAL")
        guard mode?.lowercased() == "wal" else {
            throw .sqlite(operation: "PRAGMA journal_mode = WAL", code: 0, message: "journal mode stayed \(mode ?? "unknown")")
        }
        let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
        try writer.execute("""
            PRAGMA synchronous = \(synchronous);
            PRAGMA cache_size = -\(configuration.cacheSizeKiB);
            PRAGMA mmap_size = \(configuration.mmapSizeBytes);
            PRAGMA wal_autocheckpoint = \(configuration.walAutocheckpointPages);
            PRAGMA temp_store = MEMORY;
            """)
    }

    /// The chain's height, last block hash and commit hash, as of the last commit.
    public var chainInfo: ChainInfo {
        lock.lock()
        defer { lock.unlock() }
        return tip
    }

    /// Database pages the commits of this `Ledger` have written since it was opened (each a WAL frame,
    /// later copied into the file by a checkpoint): the storage cost of commits, which grows with the
    /// number of distinct b-tree pages a block touches (docs/BENCHMARKS.md, "Ledger").
    public var pagesWritten: Int {
        lock.lock()
        defer { lock.unlock() }
        return writer?.pagesWritten ?? 0
    }

    /// A consistent read view of the ledger as of now, on its own connection. Close it (or let it go)
    /// soon: an open snapshot keeps the WAL from being checkpointed past it, and holds one of the
    /// `maxReaders` connections. When all are in use it blocks for up to `readerWaitSeconds`, then
    /// throws `.busy`.
    public func snapshot() throws(LedgerError) -> LedgerSnapshot {
        try LedgerSnapshot(pool: pool, maxPageSize: configuration.maxPageSize)
    }

    /// Runs `body` with a fresh snapshot and closes it afterwards.
    public func read<T>(_ body: (LedgerSnapshot) throws -> T) throws -> T {
        let snapshot = try snapshot()
        defer { snapshot.close() }
        return try body(snapshot)
    }

    /// Runs `body` with a fresh snapshot on the process's `BlockingExecutor`, once one of the
    /// `maxReaders` read connections is free (see `runReading`), and closes the snapshot afterwards.
    public func withSnapshot<T: Sendable>(_ body: @escaping @Sendable (LedgerSnapshot) throws -> T) async throws -> T {
        try await runReading { try self.read(body) }
    }

    /// Runs `work` on the process's `BlockingExecutor` while holding one of the `maxReaders` read
    /// slots, for work that takes one snapshot (a simulation, a query) among other blocking steps.
    /// Waits for the slot suspended, in order, never blocking a thread; throws `CancellationError` when
    /// the task is cancelled while it waits. Once started, `work` runs to its end (give a query a
    /// `QueryBudget` to stop it early).
    public func runReading<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await readerPermits.acquire()
        defer { readerPermits.release() }
        return try await BlockingExecutor.shared.run(work)
    }

    /// Runs `body` with a snapshot on the committer's own read connection, which readers never hold:
    /// for the committer's validation reads, one at a time.
    public func readForCommit<T>(_ body: (LedgerSnapshot) throws -> T) throws -> T {
        let snapshot = try LedgerSnapshot(pool: pool, maxPageSize: configuration.maxPageSize, claim: .committer)
        defer { snapshot.close() }
        return try body(snapshot)
    }

    /// Copies the WAL into the database file and truncates the WAL (waiting for readers of older
    /// snapshots to finish). Commits do this on their own every `walAutocheckpointPages` pages.
    public func checkpoint() throws(LedgerError) {
        lock.lock()
        defer { lock.unlock() }
        guard let writer else { throw .closed }
        try writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Closes the writer and the idle read connections. Later commits and snapshots throw `.closed`.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        checkpointer?.stop()
        pool.close()
        writer?.close()
        writer = nil
    }
}
