#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore

/// What `Ledger.prune(before:archive:)` did.
public struct PruneReport: Sendable, Equatable, Codable {
    /// Blocks below this keep only their headers and metadata now.
    public var prunedBelow: UInt64
    /// Envelopes removed and key-history rows removed by this call.
    public var envelopesRemoved: Int
    public var historyRowsRemoved: Int
    /// The database's size before and after (pages × page size: what the file holds once the WAL is
    /// checkpointed), in bytes.
    public var fileBytesBefore: Int
    public var fileBytesAfter: Int
    /// Whether freed pages were returned to the file system (incremental vacuum); false for a file
    /// created before Weft turned incremental vacuum on, whose freed pages are reused by later blocks.
    public var returnedSpace: Bool

    public init(prunedBelow: UInt64, envelopesRemoved: Int, historyRowsRemoved: Int, fileBytesBefore: Int, fileBytesAfter: Int, returnedSpace: Bool) {
        self.prunedBelow = prunedBelow
        self.envelopesRemoved = envelopesRemoved
        self.historyRowsRemoved = historyRowsRemoved
        self.fileBytesBefore = fileBytesBefore
        self.fileBytesAfter = fileBytesAfter
        self.returnedSpace = returnedSpace
    }
}

extension Ledger {
    /// Blocks pruned per write transaction at most, so commits interleave with a long prune.
    static let pruneChunkBlocks: UInt64 = 256
    /// Pages returned to the file system per write transaction at most.
    static let vacuumChunkPages = 4096

    /// Removes the bodies (envelopes) and key history of blocks below `number`, keeping every block
    /// header, the metadata (validation flags, commit hashes) and the txID index: the hash chain still
    /// verifies (`weft ledger verify`), duplicate txIDs are still refused, and reads of a pruned block
    /// answer `.pruned`, naming `archive` (where the operator exported the blocks; empty if none).
    ///
    /// Runs in short write transactions while the node serves: each holds the writer for about
    /// `pacing.pruneTransaction` (the blocks, then the pages of vacuum, per transaction adapt to it,
    /// at most 256 blocks or 4,096 pages) and is followed by a rest of `pacing.pruneRestRatio` × its
    /// duration in which commits have the writer (`pacing` is by default the configuration's
    /// `backgroundPacing`). A crash in between leaves a consistent ledger pruned less far.
    /// With `truncateFile` it ends with a checkpoint that shrinks the file at once, which waits (up to
    /// the busy timeout, holding off commits) for readers of older snapshots; without, the ledger's
    /// own checkpoints shrink it later and commits never wait (automatic pruning).
    public func prune(before number: UInt64, archive: String = "", truncateFile: Bool = true,
                      pacing: BackgroundPacing? = nil) throws(LedgerError) -> PruneReport {
        let pacing = pacing ?? configuration.backgroundPacing
        let height = chainInfo.height
        guard number <= height else {
            throw .invalidArgument("cannot prune below block \(number): the ledger's height is \(height)")
        }
        let before = try databaseBytes()
        let start = try withWriter { writer throws(LedgerError) in try Retention.read(writer).prunedBelow }
        var report = PruneReport(prunedBelow: max(start, number), envelopesRemoved: 0, historyRowsRemoved: 0,
                                 fileBytesBefore: before, fileBytesAfter: before, returnedSpace: false)
        var low = start
        var blocks = AdaptiveBatch(target: pacing.pruneTransaction, range: 1...Int(Self.pruneChunkBlocks), start: 8)
        var rests = PacedSlices(restRatio: pacing.pruneRestRatio)
        while low < number {
            let high = min(number, low + UInt64(blocks.size))
            let began = ContinuousClock.now
            let (envelopes, history) = try withWriter { writer throws(LedgerError) in
                try writer.writeTransaction { () throws(LedgerError) -> (Int, Int) in
                    let clear = try writer.prepared("UPDATE transactions SET envelope = x'' WHERE id >= ?1 AND id < ?2 AND length(envelope) > 0")
                    defer { clear.reset() }
                    try clear.bind(1, LedgerSchema.transactionRowID(block: low, position: 0))
                    try clear.bind(2, LedgerSchema.transactionRowID(block: high, position: 0))
                    try clear.run()
                    let envelopes = writer.changes
                    let drop = try writer.prepared("DELETE FROM history WHERE block >= ?1 AND block < ?2")
                    defer { drop.reset() }
                    try drop.bind(1, Int64(bitPattern: low))
                    try drop.bind(2, Int64(bitPattern: high))
                    try drop.run()
                    let history = writer.changes
                    let mark = try writer.prepared("""
                        INSERT INTO retention (id, pruned_below, archive) VALUES (0, ?1, ?2)
                        ON CONFLICT (id) DO UPDATE SET pruned_below = excluded.pruned_below, archive = excluded.archive
                        """)
                    defer { mark.reset() }
                    try mark.bind(1, Int64(bitPattern: high))
                    try mark.bind(2, text: archive)
                    try mark.run()
                    return (envelopes, history)
                }
            }
            blocks.record(ContinuousClock.now - began)
            report.envelopesRemoved += envelopes
            report.historyRowsRemoved += history
            low = high
            rests.rest()
        }
        report.returnedSpace = try returnFreePages(truncateFile: truncateFile, pacing: pacing)
        report.fileBytesAfter = try databaseBytes()
        return report
    }

    /// Runs incremental vacuum in chunks until no free page is left, then checkpoints so the file
    /// shrinks; false when the file was not created for incremental vacuum.
    private func returnFreePages(truncateFile: Bool, pacing: BackgroundPacing) throws(LedgerError) -> Bool {
        let incremental = try withWriter { writer throws(LedgerError) in try writer.scalarInt("PRAGMA auto_vacuum") == 2 }
        guard incremental else { return false }
        var pages = AdaptiveBatch(target: pacing.pruneTransaction, range: 64...Self.vacuumChunkPages, start: 512)
        var rests = PacedSlices(restRatio: pacing.pruneRestRatio)
        while true {
            let began = ContinuousClock.now
            let left = try withWriter { writer throws(LedgerError) in
                try writer.execute("PRAGMA incremental_vacuum(\(pages.size))")
                return try writer.scalarInt("PRAGMA freelist_count") ?? 0
            }
            guard left > 0 else { break }
            pages.record(ContinuousClock.now - began)
            rests.rest()
        }
        // Truncates the file to its new size (waits up to the busy timeout for old readers; a later
        // checkpoint does it otherwise).
        if truncateFile { try? withWriter { writer throws(LedgerError) in try writer.execute("PRAGMA wal_checkpoint(TRUNCATE)") } }
        return true
    }

    /// Runs `body` with the writer connection, under the ledger's lock (between commits).
    func withWriter<T>(_ body: (SQLiteConnection) throws(LedgerError) -> T) throws(LedgerError) -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let writer else { throw .closed }
        return try body(writer)
    }

    /// Pages × page size.
    func databaseBytes() throws(LedgerError) -> Int {
        try withWriter { writer throws(LedgerError) in
            Int(try writer.scalarInt("PRAGMA page_count") ?? 0) * Int(try writer.scalarInt("PRAGMA page_size") ?? 0)
        }
    }

    /// What this ledger has pruned.
    public func retention() throws(LedgerError) -> Retention {
        try withWriter { writer throws(LedgerError) in try Retention.read(writer) }
    }
}

extension Ledger {
    /// Bytes of database pages per table and index (SQLite's `dbstat`), for reports on what pruning
    /// leaves; empty when the SQLite library was built without `dbstat`.
    public func bytesByTable() throws(LedgerError) -> [String: Int] {
        try withWriter { writer throws(LedgerError) in
            guard let rows = try? writer.prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name") else { return [:] }
            var sizes: [String: Int] = [:]
            while try rows.step() { sizes[rows.text(0)] = Int(rows.int64(1)) }
            return sizes
        }
    }
}
