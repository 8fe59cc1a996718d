import WeftCore

/// Every failure of the ledger. Refusals of a block name the block; damage to the file names the file
/// and what is wrong with it; SQLite failures keep SQLite's own code and message.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A SQLite call failed for a reason other than damage (I/O, locking, out of memory, …).
    case sqlite(operation: String, code: Int32, message: String)
    /// The file is damaged: not a database, truncated, or its contents contradict themselves.
    case corrupt(path: String, problem: String)
    /// The file is a healthy SQLite database but not a Weft ledger (or of an unknown schema version).
    case notALedger(path: String, reason: String)
    /// The block is not the next one: the ledger's height is `expected`.
    case unexpectedBlockNumber(expected: UInt64, actual: UInt64)
    /// The block's `previousHash` is not the hash of the ledger's last block.
    case previousHashMismatch(blockNumber: UInt64, expected: [UInt8], actual: [UInt8])
    /// The block's `dataHash` is not the Merkle root of its envelopes.
    case dataHashMismatch(blockNumber: UInt64, expected: [UInt8], actual: [UInt8])
    /// The committer's list of transactions does not match the block's envelopes one to one.
    case transactionCountMismatch(blockNumber: UInt64, envelopes: Int, transactions: Int)
    /// A write cannot be stored (an empty key or namespace, a NUL in a namespace, …).
    case invalidWrite(blockNumber: UInt64, txNumber: Int, reason: String)
    /// A query argument is out of range (page size, bookmark, composite-key component, …).
    case invalidArgument(String)
    /// A rich-query selector was refused; the reason names the offending part.
    case invalidQuery(String)
    /// The ledger or snapshot was closed before the call.
    case closed
    /// Block `blockNumber`'s body (or key history) was pruned from this ledger: only blocks from
    /// `prunedBelow` on are kept whole; `archive` names the export holding it, when known.
    case pruned(blockNumber: UInt64, prunedBelow: UInt64, archive: String)
    /// Block `blockNumber` comes before the snapshot this ledger was restored from (at
    /// `snapshotHeight`): this peer never held it.
    case beforeSnapshot(blockNumber: UInt64, snapshotHeight: UInt64)
    /// A file outside the database (a snapshot, a backup) could not be created, read or written.
    case io(operation: String, path: String, message: String)
    /// Every read connection stayed in use for as long as a read may wait.
    case busy(readers: Int, waitedSeconds: Double)

    public var description: String {
        switch self {
        case let .sqlite(operation, code, message): "SQLite \(operation) failed (code \(code)): \(message)"
        case let .corrupt(path, problem): "ledger file \(path) is damaged: \(problem)"
        case let .notALedger(path, reason): "\(path) is not a Weft ledger: \(reason)"
        case let .unexpectedBlockNumber(expected, actual):
            "block \(actual) refused: the ledger's next block is \(expected)"
        case let .previousHashMismatch(number, expected, actual):
            "block \(number) refused: previous hash \(Hex.encode(actual)) is not the hash of the last block, \(Hex.encode(expected))"
        case let .dataHashMismatch(number, expected, actual):
            "block \(number) refused: data hash \(Hex.encode(actual)) is not the Merkle root of its envelopes, \(Hex.encode(expected))"
        case let .transactionCountMismatch(number, envelopes, transactions):
            "block \(number) refused: \(envelopes) envelopes but \(transactions) committed transactions"
        case let .invalidWrite(number, tx, reason): "block \(number) refused: transaction \(tx) has an invalid write: \(reason)"
        case let .invalidArgument(reason): "invalid argument: \(reason)"
        case let .invalidQuery(reason): "invalid rich query: \(reason)"
        case .closed: "the ledger is closed"
        case let .pruned(number, below, archive):
            "block \(number) was pruned from this ledger (blocks below \(below) keep only their headers)"
                + (archive.isEmpty ? "" : "; it is in the archive \(archive)")
        case let .beforeSnapshot(number, height):
            "block \(number) is older than this ledger: it was started from a snapshot at height \(height); ask a peer that holds it"
        case let .io(operation, path, message): "cannot \(operation) \(path): \(message)"
        case let .busy(readers, waited):
            "the ledger is busy: all \(readers) read connections stayed in use for \(waited) s; try again"
        }
    }
}
