import WeftCore

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

/// One page of a key's history.
public struct HistoryPage: Sendable, Equatable {
    /// The modifications in the requested order.
    public var entries: [KeyModification]
    /// Pass this to get the next page; nil when the history is complete.
    public var bookmark: String?
    /// The page size that was applied.
    public var pageSize: Int
    /// Set when the key has older modifications that were pruned: only blocks from this one on keep
    /// their key history.
    public var prunedBelow: UInt64? = nil
}
