/// How a ledger is opened and how much a query may return.
public struct LedgerConfiguration: Sendable {
    /// When a commit reaches the disk.
    public enum Durability: Sendable {
        /// `synchronous=FULL`: the WAL is fsynced at every commit; a committed block survives power loss.
        case full
        /// `synchronous=NORMAL`: the WAL is fsynced only at checkpoints; a committed block survives a
        /// process crash but the last blocks may be lost on power loss (the chain stays consistent).
        case normal
    }

    /// Commit durability; `.full` by default.
    public var durability: Durability = .full
    /// Page sizes above this are capped (range, composite-key and history scans, rich-query limits).
    public var maxPageSize: Int = 1000
    /// Read connections open at once, at most (each with a page cache of up to `readerCacheSizeKiB`);
    /// they are kept for reuse. A read past it waits for a connection to come back: suspended, in
    /// order, in `withSnapshot`; blocked for at most `readerWaitSeconds` in `snapshot()` and `read`.
    /// The committer has one more connection of its own, so queries never hold up commits.
    public var maxReaders: Int = 8
    /// How long `snapshot()` waits for a read connection when `maxReaders` are in use before it throws
    /// `.busy`.
    public var readerWaitSeconds: Double = 5
    /// SQLite page cache of the writer connection, in KiB.
    public var cacheSizeKiB: Int = 131072
    /// SQLite page cache of each read connection, in KiB.
    public var readerCacheSizeKiB: Int = 16384
    /// Bytes of the file that connections read through `mmap` instead of `read` (SQLite caps it at its
    /// compile-time maximum, 2 GiB on most builds); 0 turns memory mapping off.
    public var mmapSizeBytes: Int = 1 << 31
    /// WAL size, in pages, at which the WAL is checkpointed into the database file.
    public var walAutocheckpointPages: Int = 16384
    /// Whether checkpoints run on a background thread with their own connection (`WALCheckpointer`:
    /// the committer then only appends to the WAL, and checkpoints itself only when the WAL reaches
    /// 4 × the threshold), or inline in the commit that crosses the threshold (SQLite's auto-checkpoint,
    /// the default). The background mode needs a spare core to pay off: see docs/BENCHMARKS.md.
    public var checkpointInBackground: Bool = false
    /// The SQLite page size of a new ledger file, in bytes (a power of two, 512–65536); an existing
    /// file keeps the page size it was created with.
    public var pageSize: Int = 4096
    /// Whether a new ledger file is created with SQLite's incremental vacuum, so that `prune` returns
    /// the pages it frees to the file system while the node serves (an existing file keeps the mode it
    /// was created with; without it, freed pages are reused by later blocks).
    public var incrementalVacuum: Bool = true
    /// Whether opening runs SQLite's `PRAGMA quick_check` over the whole file (slow on large files);
    /// the hash-chain tail and savepoint are checked on every open regardless.
    public var quickCheckOnOpen: Bool = false
    /// How online backups and snapshots share the machine with commits (`BackgroundPacing`): in
    /// slices, resting between them. `backup` and `exportSnapshot` can override it per call.
    public var backgroundPacing: BackgroundPacing = .default

    /// The defaults.
    public init() {}

    /// The defaults, with the page caches sized for a budget of `mebibytes` per ledger: half for the
    /// writer, the other half shared by the `maxReaders` read connections.
    public init(cacheBudgetMiB mebibytes: Int) {
        self.init()
        let kibibytes = max(1, mebibytes) * 1024
        cacheSizeKiB = kibibytes / 2
        readerCacheSizeKiB = max(64, kibibytes / 2 / max(1, maxReaders))
    }
}
