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
    /// Read connections kept open for reuse; more are opened on demand and closed when returned.
    public var maxIdleReaders: Int = 8
    /// SQLite page cache per connection, in KiB.
    public var cacheSizeKiB: Int = 65536
    /// WAL size, in pages, at which a commit checkpoints it into the database file.
    public var walAutocheckpointPages: Int = 16384
    /// Whether opening runs SQLite's `PRAGMA quick_check` over the whole file (slow on large files);
    /// the hash-chain tail and savepoint are checked on every open regardless.
    public var quickCheckOnOpen: Bool = false

    /// The defaults.
    public init() {}
}
