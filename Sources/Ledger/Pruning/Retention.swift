/// What a ledger file has pruned: the bodies (envelopes) and key history of blocks below
/// `prunedBelow` are gone; every header, the metadata (validation flags, commit hashes) and the txID
/// index are kept, so the hash chain verifies and duplicate txIDs stay detected.
public struct Retention: Sendable, Equatable {
    /// The first block whose body is kept; 0 when nothing was pruned.
    public var prunedBelow: UInt64
    /// Where the pruned blocks were exported (`weft ledger export`), as the operator named it; empty
    /// when not said.
    public var archive: String
    /// The first block whose header is stored: 0, or the last block of the snapshot a ledger was
    /// restored from (`Ledger.restore`), which has no block before it.
    public var headersFrom: UInt64

    /// Nothing pruned.
    public static let none = Retention(prunedBelow: 0, archive: "")

    public init(prunedBelow: UInt64, archive: String, headersFrom: UInt64 = 0) {
        self.prunedBelow = prunedBelow
        self.archive = archive
        self.headersFrom = headersFrom
    }

    /// Whether block `number`'s body was pruned.
    public func hasPruned(_ number: UInt64) -> Bool { number < prunedBelow }

    /// The row id below which transactions' envelopes are gone.
    var transactionRowBound: Int64 { LedgerSchema.transactionRowID(block: prunedBelow, position: 0) }

    /// Reads the file's retention (a version 2 file, without the table, pruned nothing).
    static func read(_ connection: SQLiteConnection) throws(LedgerError) -> Retention {
        guard try connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'retention'") == 1 else {
            return .none
        }
        let row = try connection.prepared("SELECT pruned_below, archive, headers_from FROM retention WHERE id = 0")
        defer { row.reset() }
        guard try row.step() else { return .none }
        return Retention(prunedBelow: UInt64(bitPattern: row.int64(0)), archive: row.text(1), headersFrom: UInt64(bitPattern: row.int64(2)))
    }

    /// The error for a read of pruned block `number`.
    func prunedError(_ number: UInt64) -> LedgerError {
        number < headersFrom
            ? .beforeSnapshot(blockNumber: number, snapshotHeight: headersFrom + 1)
            : .pruned(blockNumber: number, prunedBelow: prunedBelow, archive: archive)
    }
}
