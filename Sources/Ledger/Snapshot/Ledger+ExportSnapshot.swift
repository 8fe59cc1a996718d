#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore

extension Ledger {
    /// The data files of a snapshot, in manifest order.
    enum SnapshotFileName {
        /// World state: namespace, key, value, version — ordered by namespace and key bytes.
        static let state = "state.bin"
        /// Keys whose last write was a delete, with its version (MVCC and phantom checks need them).
        static let deletedKeys = "deleted-keys.bin"
        /// Every transaction's txID (empty for an envelope that was not authenticated), block,
        /// position and validation code, in block order: what duplicate detection and `query tx` need.
        static let transactions = "transactions.bin"
        /// The header and metadata of the last block, as stored.
        static let lastBlock = "last-block.bin"
    }

    /// Writes a snapshot of the ledger at `height` (by default the current height) into the new folder
    /// `folder`: world state, deleted keys, txIDs, the last block, and `manifest.json` with the
    /// snapshot hash. Reads one consistent view: commits go on meanwhile. The folder appears complete
    /// or not at all (written as `folder.partial`, then renamed).
    ///
    /// A height below the current one is rebuilt from the key history (slower); above it is refused.
    /// With `signer`, the folder also holds `signature.json`, the signer's signature over the snapshot
    /// hash (`SnapshotSignature`), written before the folder is published.
    ///
    /// Rows are written in slices with rests between them (`pacing`, by default the configuration's
    /// `backgroundPacing`), inside the one read transaction, so commits keep their pace meanwhile.
    public func exportSnapshot(
        channel: String, at height: UInt64? = nil, to folder: String, signer: SnapshotSigner? = nil,
        pacing: BackgroundPacing? = nil
    ) throws(LedgerError) -> SnapshotManifest {
        let pacing = pacing ?? configuration.backgroundPacing
        guard !FileManager.default.fileExists(atPath: folder) else {
            throw .invalidArgument("\(folder) already exists; name a new folder for the snapshot")
        }
        let partial = PartialOutput.path(for: folder)
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        } catch {
            throw .io(operation: "create", path: partial, message: "\(error)")
        }
        let manifest: SnapshotManifest
        do throws(LedgerError) {
            let snapshot = try self.snapshot()
            defer { snapshot.close() }
            manifest = try snapshot.withConnection { connection throws(LedgerError) in
                var export = SnapshotExport(connection: connection, chain: snapshot.chainInfo, channel: channel,
                                            folder: partial, pacing: pacing)
                return try export.write(at: height ?? snapshot.chainInfo.height)
            }
            try SnapshotManifest.write(manifest, to: partial)
            if let signer { try SnapshotSignature.make(for: manifest, by: signer).write(to: partial) }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        try PartialOutput.publish(partial, as: folder)
        return manifest
    }
}

/// One snapshot being written from one read transaction.
private struct SnapshotExport {
    let connection: SQLiteConnection
    let chain: ChainInfo
    let channel: String
    let folder: String
    let pacing: BackgroundPacing
    private var slices: PacedSlices

    init(connection: SQLiteConnection, chain: ChainInfo, channel: String, folder: String, pacing: BackgroundPacing) {
        self.connection = connection
        self.chain = chain
        self.channel = channel
        self.folder = folder
        self.pacing = pacing
        slices = PacedSlices(pacing)
    }

    mutating func write(at height: UInt64) throws(LedgerError) -> SnapshotManifest {
        guard height >= 1 else { throw .invalidArgument("the ledger is empty: there is nothing to snapshot") }
        guard height <= chain.height else {
            throw .invalidArgument("height \(height) is above the ledger's height \(chain.height)")
        }
        let current = height == chain.height
        let retention = try Retention.read(connection)
        guard current || retention.prunedBelow == 0 else {
            throw .invalidArgument("the key history below block \(retention.prunedBelow) was pruned: a snapshot can only be taken at the current height, \(chain.height)")
        }
        let last = try lastBlock(height - 1)
        let files = [
            try writeState(current: current, height: height),
            try writeDeletedKeys(current: current, height: height),
            try writeTransactions(height: height),
            try writeLastBlock(last),
        ]
        var manifest = SnapshotManifest(
            format: SnapshotManifest.currentFormat, channel: channel, height: height, blockHash: Hex.encode(last.hash),
            commitHash: Hex.encode(last.commitHash), files: files, snapshotHash: "")
        manifest.snapshotHash = manifest.computedHash
        return manifest
    }

    private struct LastBlock {
        var hash: [UInt8]
        var header: [UInt8]
        var metadata: [UInt8]
        var commitHash: [UInt8]
    }

    private func lastBlock(_ number: UInt64) throws(LedgerError) -> LastBlock {
        let row = try connection.prepared("SELECT hash, header, metadata FROM blocks WHERE number = ?1")
        defer { row.reset() }
        try row.bind(1, Int64(bitPattern: number))
        guard try row.step() else { throw .corrupt(path: connection.path, problem: "block \(number) is missing") }
        let metadata: BlockMetadata
        do { metadata = try BlockMetadata(canonicalBytes: row.blob(2)) } catch {
            throw .corrupt(path: connection.path, problem: "block \(number): metadata does not decode: \(error)")
        }
        return LastBlock(hash: row.blob(0), header: row.blob(1), metadata: row.blob(2), commitHash: metadata.commitHash)
    }

    private mutating func writeState(current: Bool, height: UInt64) throws(LedgerError) -> SnapshotManifest.File {
        let sql = current
            ? "SELECT namespace, key, value, block, tx FROM state ORDER BY namespace, key"
            : """
              SELECT namespace, key, value, block, tx FROM (
                SELECT namespace, key, value, block, tx,
                       row_number() OVER (PARTITION BY namespace, key ORDER BY block DESC, tx DESC) AS latest
                FROM history WHERE block < ?1)
              WHERE latest = 1 AND value IS NOT NULL ORDER BY namespace, key
              """
        return try writeRows(Ledger.SnapshotFileName.state, sql: sql, height: current ? nil : height) { row, writer in
            writer.write(row.text(0))
            writer.write(lengthPrefixed: row.blob(1))
            writer.write(lengthPrefixed: row.blob(2))
            writer.write(UInt64(bitPattern: row.int64(3)))
            writer.write(UInt32(truncatingIfNeeded: row.int64(4)))
        }
    }

    private mutating func writeDeletedKeys(current: Bool, height: UInt64) throws(LedgerError) -> SnapshotManifest.File {
        let sql = current
            ? "SELECT namespace, key, block, tx FROM deleted_keys ORDER BY namespace, key"
            : """
              SELECT namespace, key, block, tx FROM (
                SELECT namespace, key, value, block, tx,
                       row_number() OVER (PARTITION BY namespace, key ORDER BY block DESC, tx DESC) AS latest
                FROM history WHERE block < ?1)
              WHERE latest = 1 AND value IS NULL ORDER BY namespace, key
              """
        return try writeRows(Ledger.SnapshotFileName.deletedKeys, sql: sql, height: current ? nil : height) { row, writer in
            writer.write(row.text(0))
            writer.write(lengthPrefixed: row.blob(1))
            writer.write(UInt64(bitPattern: row.int64(2)))
            writer.write(UInt32(truncatingIfNeeded: row.int64(3)))
        }
    }

    private mutating func writeTransactions(height: UInt64) throws(LedgerError) -> SnapshotManifest.File {
        let sql = "SELECT id, tx_id, code FROM transactions WHERE id < ?1 ORDER BY id"
        let below = LedgerSchema.transactionRowID(block: height, position: 0)
        return try writeRows(Ledger.SnapshotFileName.transactions, sql: sql, bound: below) { row, writer in
            let version = LedgerSchema.version(ofRowID: row.int64(0))
            writer.write(row.text(1))
            writer.write(version.blockNumber)
            writer.write(version.txNumber)
            writer.write(UInt8(truncatingIfNeeded: row.int64(2)))
        }
    }

    private func writeLastBlock(_ last: LastBlock) throws(LedgerError) -> SnapshotManifest.File {
        let file = try RecordFileWriter(folder: folder, name: Ledger.SnapshotFileName.lastBlock)
        try file.append { writer in
            writer.write(lengthPrefixed: last.header)
            writer.write(lengthPrefixed: last.metadata)
        }
        return try file.finish()
    }

    private mutating func writeRows(
        _ name: String, sql: String, height: UInt64? = nil, bound: Int64? = nil,
        _ encode: (SQLiteStatement, inout ByteWriter) -> Void
    ) throws(LedgerError) -> SnapshotManifest.File {
        let file = try RecordFileWriter(folder: folder, name: name)
        let rows = try connection.prepare(sql)
        if let height { try rows.bind(1, Int64(bitPattern: height)) }
        if let bound { try rows.bind(1, bound) }
        let slice = pacing.snapshotRowsPerSlice
        var inSlice = 0
        while try rows.step() {
            try file.append { encode(rows, &$0) }
            inSlice += 1
            if slice > 0, inSlice == slice {
                slices.rest()
                inSlice = 0
            }
        }
        return try file.finish()
    }
}
