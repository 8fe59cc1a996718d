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

/// Where a transaction sits in the chain and what was decided about it.
public struct TransactionStatus: Sendable, Equatable {
    /// The transaction id.
    public var txID: String
    /// The block that holds it.
    public var blockNumber: UInt64
    /// Its position in the block.
    public var txNumber: UInt32
    /// Its validation code.
    public var validationCode: ValidationCode
}

/// A committed transaction with its envelope bytes.
public struct TransactionRecord: Sendable, Equatable {
    /// Where it is and its code.
    public var status: TransactionStatus
    /// The envelope bytes as ordered.
    public var envelope: [UInt8]
}
