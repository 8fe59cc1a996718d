import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore

extension Ledger {
    /// Copies the ledger into the new file `path` with SQLite's online backup API, from one read
    /// snapshot — so the copy ends at a block boundary — while commits go on. The file appears complete
    /// or not at all (written as `path.partial`, then renamed). Returns the chain the copy holds; the
    /// copy opens as a ledger and verifies (`weft ledger verify`).
    ///
    /// The pages are copied in slices with rests between them (`pacing`, by default the
    /// configuration's `backgroundPacing`), all inside the one read transaction, so commits keep their
    /// pace while the copy runs.
    public func backup(to path: String, pacing: BackgroundPacing? = nil) throws(LedgerError) -> ChainInfo {
        let pacing = pacing ?? configuration.backgroundPacing
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .invalidArgument("\(path) already exists; name a new file for the backup")
        }
        let partial = PartialOutput.path(for: path)
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
        let snapshot = try self.snapshot()
        defer { snapshot.close() }
        do throws(LedgerError) {
            try snapshot.withConnection { source throws(LedgerError) in
                let destination = try SQLiteConnection(path: partial, mode: .readWriteCreate)
                defer { destination.close() }
                try destination.execute("PRAGMA synchronous = FULL")
                guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
                    throw destination.makeError("backup_init", sqlite3_errcode(destination.handle))
                }
                // Every step reads inside the snapshot's read transaction, which stays open across the
                // rests: the copy is the snapshot's view, whatever the committer writes meanwhile.
                let pages = pacing.backupPagesPerSlice > 0 ? Int32(clamping: pacing.backupPagesPerSlice) : -1
                var slices = PacedSlices(pacing)
                var step = sqlite3_backup_step(backup, pages)
                while step == SQLITE_OK {
                    slices.rest()
                    step = sqlite3_backup_step(backup, pages)
                }
                let finish = sqlite3_backup_finish(backup)
                guard step == SQLITE_DONE else { throw destination.makeError("backup_step", step) }
                guard finish == SQLITE_OK else { throw destination.makeError("backup_finish", finish) }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        try PartialOutput.publish(partial, as: path)
        return snapshot.chainInfo
    }
}
