import CSQLite

/// The process's budget for SQLite's memory, shared by every ledger it opens: the page caches of all
/// channels' connections together stay near it, because SQLite recycles the least recently used page
/// instead of growing once its soft heap limit is reached (`sqlite3_soft_heap_limit64`).
public enum SQLiteMemory {
    /// Sets the soft limit of the memory SQLite holds in this process, in bytes; 0 removes it.
    public static func limit(bytes: Int) {
        _ = sqlite3_soft_heap_limit64(Int64(max(0, bytes)))
    }
}
