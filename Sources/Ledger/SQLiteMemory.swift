import CSQLite

/// The process's budget for SQLite's memory, shared by every ledger it opens: the page caches of all
/// channels' connections together stay near it, because SQLite recycles the least recently used page
/// instead of growing once its soft heap limit is reached (`sqlite3_soft_heap_limit64`).
public enum SQLiteMemory {
    /// Sets the soft limit of the memory SQLite holds in this process, in bytes; 0 removes it.
    public static func limit(bytes: Int) {
        _ = sqlite3_soft_heap_limit64(Int64(max(0, bytes)))
    }

    /// The soft limit in force, in bytes; 0 when there is none.
    public static var limitBytes: Int { Int(sqlite3_soft_heap_limit64(-1)) }

    /// Bytes SQLite holds now, in this process.
    public static var usedBytes: Int { Int(sqlite3_memory_used()) }
}

extension LedgerConfiguration {
    /// The defaults, with the page caches sized for a budget of `mebibytes` per ledger: half for the
    /// writer, the other half shared by the `maxReaders` read connections.
    public init(cacheBudgetMiB mebibytes: Int) {
        self.init()
        let kibibytes = max(1, mebibytes) * 1024
        cacheSizeKiB = kibibytes / 2
        readerCacheSizeKiB = max(64, kibibytes / 2 / max(1, maxReaders))
    }
}
