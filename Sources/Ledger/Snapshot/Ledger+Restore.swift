#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeftCore

extension Ledger {
    /// Creates the new ledger file `path` from the snapshot in `folder` — world state, deleted keys,
    /// the txID index and the snapshot's last block — after checking the folder against its manifest
    /// and, when given, the snapshot's commit hash against `expectedCommitHash` (what the channel's
    /// other peers report at that height). The ledger then commits the blocks after the snapshot as
    /// if it had committed every block before: the same commit hashes as its peers. Blocks before the
    /// snapshot are not there (reads say so), nor is the key history before it.
    public static func restore(
        snapshot folder: String, to path: String, expectedCommitHash: String? = nil,
        configuration: LedgerConfiguration = LedgerConfiguration()
    ) throws(LedgerError) -> Ledger {
        let manifest = try SnapshotManifest.verify(folder: folder)
        if let expectedCommitHash, expectedCommitHash.lowercased() != manifest.commitHash {
            throw .invalidArgument("the snapshot's commit hash at height \(manifest.height) is \(manifest.commitHash), not the \(expectedCommitHash) given")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .invalidArgument("\(path) already exists; a snapshot is restored into a new ledger file")
        }
        // Built as `<path>.restoring` and renamed when complete and durable: a restore that fails or is
        // killed leaves no ledger at `path` (the next restore removes the leftover).
        let partial = path + ".restoring"
        Self.removeDatabaseFiles(partial)
        do throws(LedgerError) {
            try Ledger.open(path: partial, configuration: configuration).close()
            try bulkLoad(into: partial, folder: folder, manifest: manifest)
            try FileDurability.sync(partial)
            guard rename(partial, path) == 0 else {
                throw .io(operation: "rename", path: partial, message: DescriptorOutput.message(errno))
            }
            try FileDurability.syncDirectory(of: path)
        } catch {
            Self.removeDatabaseFiles(partial)
            throw error
        }
        return try Ledger.open(path: path, configuration: configuration)
    }

    /// Loads the snapshot into the (new, empty) ledger file `path` in one transaction without a journal
    /// and without fsyncs — nothing else uses the file and a failed load discards it — then leaves the
    /// file in WAL mode, as every ledger is. Most of a restore's time was the WAL: every page written
    /// twice (the log, then the checkpoint).
    private static func bulkLoad(into path: String, folder: String, manifest: SnapshotManifest) throws(LedgerError) {
        let connection = try SQLiteConnection(path: path, mode: .readWrite)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = DELETE")
        try connection.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY")
        try connection.writeTransaction { () throws(LedgerError) in
            try SnapshotLoad(writer: connection, folder: folder, manifest: manifest).run()
        }
        try connection.execute("PRAGMA journal_mode = WAL")
    }

    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func reloadTip() throws(LedgerError) {
        try withWriter { writer throws(LedgerError) in tip = try TailCheck.run(writer, path: path) }
    }
}

/// Loads one verified snapshot folder into an empty ledger, inside one write transaction.
private struct SnapshotLoad {
    let writer: SQLiteConnection
    let folder: String
    let manifest: SnapshotManifest

    func run() throws(LedgerError) {
        guard try writer.scalarInt("SELECT count(*) FROM blocks") == 0 else {
            throw .invalidArgument("the ledger is not empty")
        }
        try load(Ledger.SnapshotFileName.state, sql: "INSERT INTO state (namespace, key, value, block, tx) VALUES (?1, ?2, ?3, ?4, ?5)") { reader, insert throws(LedgerError) in
            try insert.bind(1, text: try decoding { () throws(DecodingError) in try reader.readString() })
            try insert.bind(2, blob: try decoding { () throws(DecodingError) in try reader.readLengthPrefixed() })
            try insert.bind(3, blob: try decoding { () throws(DecodingError) in try reader.readLengthPrefixed() })
            try insert.bind(4, Int64(bitPattern: try decoding { () throws(DecodingError) in try reader.readUInt64() }))
            try insert.bind(5, Int64(try decoding { () throws(DecodingError) in try reader.readUInt32() }))
        }
        try load(Ledger.SnapshotFileName.deletedKeys, sql: "INSERT INTO deleted_keys (namespace, key, block, tx) VALUES (?1, ?2, ?3, ?4)") { reader, insert throws(LedgerError) in
            try insert.bind(1, text: try decoding { () throws(DecodingError) in try reader.readString() })
            try insert.bind(2, blob: try decoding { () throws(DecodingError) in try reader.readLengthPrefixed() })
            try insert.bind(3, Int64(bitPattern: try decoding { () throws(DecodingError) in try reader.readUInt64() }))
            try insert.bind(4, Int64(try decoding { () throws(DecodingError) in try reader.readUInt32() }))
        }
        // The txID index is built once after the rows are in (a sort), not row by row in txID-hash
        // order (a random page per row): most of a restore's time otherwise.
        try writer.execute("DROP INDEX transactions_by_tx_key")
        try load(Ledger.SnapshotFileName.transactions,
                 sql: "INSERT INTO transactions (id, tx_key, tx_id, code, envelope) VALUES (?1, ?2, ?3, ?4, x'')") { reader, insert throws(LedgerError) in
            let txID = try decoding { () throws(DecodingError) in try reader.readString() }
            let block = try decoding { () throws(DecodingError) in try reader.readUInt64() }
            let position = try decoding { () throws(DecodingError) in try reader.readUInt32() }
            let code = try decoding { () throws(DecodingError) in try ValidationCode(from: &reader) }
            try insert.bind(1, LedgerSchema.transactionRowID(block: block, position: Int(position)))
            try insert.bind(2, LedgerSchema.transactionKey(txID))
            try insert.bind(3, text: txID)
            try insert.bind(4, Int64(code.rawValue))
        }
        try writer.execute("CREATE INDEX transactions_by_tx_key ON transactions(tx_key)")
        try loadLastBlock()
    }

    /// The snapshot's last block becomes the ledger's only stored block; the savepoint and retention
    /// say where the chain starts.
    private func loadLastBlock() throws(LedgerError) {
        var reader = ByteReader(try contents(Ledger.SnapshotFileName.lastBlock))
        let headerBytes = try decoding { () throws(DecodingError) in try reader.readLengthPrefixed() }
        let metadataBytes = try decoding { () throws(DecodingError) in try reader.readLengthPrefixed() }
        let number = manifest.height - 1
        let header = try TailCheck.decodeHeader(headerBytes, number: number, path: folder)
        guard Hex.encode(header.hash) == manifest.blockHash else {
            throw .corrupt(path: folder, problem: "the last block's header does not hash to the manifest's block hash")
        }
        let metadata = try decoding { () throws(DecodingError) in try BlockMetadata(canonicalBytes: metadataBytes) }
        guard Hex.encode(metadata.commitHash) == manifest.commitHash else {
            throw .corrupt(path: folder, problem: "the last block's commit hash is not the manifest's")
        }
        let block = try writer.prepared("INSERT INTO blocks (number, hash, header, metadata, tx_count) VALUES (?1, ?2, ?3, ?4, ?5)")
        defer { block.reset() }
        try block.bind(1, Int64(bitPattern: number))
        try block.bind(2, blob: header.hash)
        try block.bind(3, blob: headerBytes)
        try block.bind(4, blob: metadataBytes)
        try block.bind(5, Int64(metadata.validationFlags.count))
        try block.run()
        let savepoint = try writer.prepared("INSERT INTO savepoint (id, height, block_hash, commit_hash) VALUES (0, ?1, ?2, ?3)")
        defer { savepoint.reset() }
        try savepoint.bind(1, Int64(bitPattern: manifest.height))
        try savepoint.bind(2, blob: header.hash)
        try savepoint.bind(3, blob: metadata.commitHash)
        try savepoint.run()
        let retention = try writer.prepared("INSERT INTO retention (id, pruned_below, archive, headers_from) VALUES (0, ?1, '', ?2)")
        defer { retention.reset() }
        try retention.bind(1, Int64(bitPattern: manifest.height))
        try retention.bind(2, Int64(bitPattern: number))
        try retention.run()
    }

    private func load(
        _ name: String, sql: String, _ bind: (inout ByteReader, SQLiteStatement) throws(LedgerError) -> Void
    ) throws(LedgerError) {
        var reader = ByteReader(try contents(name))
        let insert = try writer.prepare(sql)
        while !reader.isAtEnd {
            try bind(&reader, insert)
            try insert.run()
            insert.reset()
        }
    }

    private func contents(_ name: String) throws(LedgerError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: folder + "/" + name) else {
            throw .corrupt(path: folder, problem: "\(name) is missing")
        }
        return [UInt8](data)
    }

    private func decoding<T>(_ body: () throws(DecodingError) -> T) throws(LedgerError) -> T {
        do { return try body() } catch { throw .corrupt(path: folder, problem: "a record does not decode: \(error)") }
    }
}
