#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

/// Walks a whole ledger file, like Fabric's `ledgerutil verify`: SQLite's quick check, then for every
/// block its header hash, the hash chain, the transaction rows against the validation flags, the data
/// hash (Merkle root of the envelopes) and the commit hash recomputed from the block's valid writes (the
/// history rows); then the savepoint, and world state against a replay of the history. Stops at the
/// first inconsistency. Reads only; never modifies the file.
public enum LedgerVerifier {
    /// Verifies the ledger at `path`. Throws when the file cannot be read as a ledger at all (missing,
    /// not a Weft ledger); damage is reported in the result. `progress` is called after each block.
    public static func verify(path: String, progress: ((UInt64) -> Void)? = nil) throws(LedgerError) -> LedgerVerificationReport {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .invalidArgument("no ledger file at \(path)")
        }
        var report = LedgerVerificationReport(height: 0, blocksVerified: 0, chainInfo: .empty, firstInconsistency: nil)
        do {
            try FileCheck.checkHeader(path: path)
            try FileCheck.checkSize(path: path)
            let connection = try SQLiteConnection(path: path, mode: .readOnly)
            defer { connection.close() }
            try LedgerSchema.prepare(connection, path: path, create: false)
            try FileCheck.quickCheck(connection, path: path)
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            var walk = ChainWalk(connection: connection, path: path)
            try walk.run(report: &report, progress: progress)
        } catch {
            switch error {
            case let .corrupt(_, problem): report.firstInconsistency = .init(blockNumber: nil, problem: problem)
            case .notALedger, .invalidArgument: throw error
            default: report.firstInconsistency = .init(blockNumber: nil, problem: error.description)
            }
        }
        return report
    }
}

/// One pass over the chain; a found problem is thrown as `Found` and ends the walk.
private struct ChainWalk {
    struct Found: Error {
        let inconsistency: LedgerVerificationReport.Inconsistency
        init(_ block: UInt64?, _ problem: String) { inconsistency = .init(blockNumber: block, problem: problem) }
    }

    let connection: SQLiteConnection
    let path: String
    /// Blocks below `retention.prunedBelow` keep only header, metadata and txIDs: their chain links
    /// and metadata are checked, their bodies and writes cannot be.
    var retention = Retention.none

    mutating func run(report: inout LedgerVerificationReport, progress: ((UInt64) -> Void)?) throws(LedgerError) {
        retention = try Retention.read(connection)
        report.prunedBelow = retention.prunedBelow
        let savepoint = try connection.prepare("SELECT height, block_hash, commit_hash FROM savepoint WHERE id = 0")
        if try savepoint.step() {
            report.chainInfo = ChainInfo(
                height: UInt64(bitPattern: savepoint.int64(0)), currentBlockHash: savepoint.blob(1), commitHash: savepoint.blob(2))
        }
        report.height = report.chainInfo.height
        var previousHash = BlockHeader.genesisPreviousHash
        var commitHash = CommitHash.genesisPrevious
        do {
            // A ledger restored from a snapshot starts at the snapshot's last block, whose links to
            // earlier blocks are taken as stored.
            if retention.headersFrom > 0 { previousHash = try storedPreviousHash(of: retention.headersFrom) }
            for number in retention.headersFrom..<max(report.height, retention.headersFrom) {
                (previousHash, commitHash) = try verifyBlock(number, previousHash: previousHash, previousCommitHash: commitHash)
                report.blocksVerified = number + 1
                progress?(number)
            }
            try verifyTip(report.chainInfo, blockHash: previousHash, commitHash: commitHash)
            try verifyStateAgainstHistory()
        } catch let found as Found {
            report.firstInconsistency = found.inconsistency
        } catch let error as LedgerError {
            throw error
        } catch {
            report.firstInconsistency = .init(blockNumber: nil, problem: "\(error)")
        }
    }

    /// The previous hash block `number`'s stored header names.
    private func storedPreviousHash(of number: UInt64) throws -> [UInt8] {
        let row = try connection.prepared("SELECT header FROM blocks WHERE number = ?1")
        defer { row.reset() }
        try row.bind(1, Int64(bitPattern: number))
        guard try row.step() else { throw Found(number, "the block is missing") }
        do { return try BlockHeader(canonicalBytes: row.blob(0)).previousHash } catch {
            throw Found(number, "the header does not decode: \(error)")
        }
    }

    /// Checks block `number`; returns its hash and commit hash for the next block.
    private func verifyBlock(_ number: UInt64, previousHash: [UInt8], previousCommitHash: [UInt8]) throws -> ([UInt8], [UInt8]) {
        let row = try connection.prepared("SELECT hash, header, metadata, tx_count FROM blocks WHERE number = ?1")
        defer { row.reset() }
        try row.bind(1, Int64(bitPattern: number))
        guard try row.step() else { throw Found(number, "the block is missing") }
        let storedHash = row.blob(0)
        let header: BlockHeader
        do { header = try BlockHeader(canonicalBytes: row.blob(1)) } catch { throw Found(number, "the header does not decode: \(error)") }
        guard header.number == number else { throw Found(number, "the header says block \(header.number)") }
        guard header.hash == storedHash else { throw Found(number, "the stored block hash is not the hash of the header") }
        guard header.previousHash == previousHash else {
            throw Found(number, "the hash chain is broken: previous hash \(Hex.encode(header.previousHash)) is not \(Hex.encode(previousHash))")
        }
        let metadata: BlockMetadata
        do { metadata = try BlockMetadata(canonicalBytes: row.blob(2)) } catch { throw Found(number, "the metadata does not decode: \(error)") }
        let txCount = row.int64(3)
        row.reset()

        let transactions = try connection.prepared("SELECT id, code, envelope FROM transactions WHERE id >= ?1 AND id < ?2 ORDER BY id")
        defer { transactions.reset() }
        let first = LedgerSchema.transactionRowID(block: number, position: 0)
        try transactions.bind(1, first)
        try transactions.bind(2, first + Int64(LedgerSchema.maxTransactionsPerBlock))
        var leafHashes: [[UInt8]] = []
        var codes: [ValidationCode] = []
        while try transactions.step() {
            let position = transactions.int64(0) - first
            guard position == Int64(leafHashes.count) else { throw Found(number, "transaction \(leafHashes.count) is missing") }
            let raw = transactions.int64(1)
            guard raw >= 0, raw <= 255, let code = ValidationCode(rawValue: UInt8(raw)) else {
                throw Found(number, "transaction \(position) has unknown validation code \(raw)")
            }
            codes.append(code)
            leafHashes.append(MerkleTree.leafHash(transactions.blob(2)))
        }
        guard Int64(leafHashes.count) == txCount else { throw Found(number, "\(leafHashes.count) transactions stored, \(txCount) recorded") }
        guard codes == metadata.validationFlags else { throw Found(number, "the validation flags differ from the transaction index") }
        // A pruned block's envelopes and writes are gone: its commit hash is taken as stored, and the
        // chain of commit hashes is checked again from the first kept block on.
        if retention.hasPruned(number) { return (storedHash, metadata.commitHash) }
        guard MerkleTree.root(leafHashes: leafHashes) == header.dataHash else {
            throw Found(number, "the data hash is not the Merkle root of the stored envelopes")
        }

        let history = try connection.prepared("SELECT tx, namespace, key, value FROM history WHERE block = ?1 ORDER BY tx")
        defer { history.reset() }
        try history.bind(1, Int64(bitPattern: number))
        var writes: [KVWrite] = []
        while try history.step() {
            let tx = history.int64(0)
            guard tx >= 0, tx < Int64(codes.count), codes[Int(tx)].isValid else {
                throw Found(number, "the history holds a write of transaction \(tx), which is not a valid transaction of the block")
            }
            writes.append(KVWrite(namespace: history.text(1), key: history.text(2), value: history.isNull(3) ? nil : history.blob(3)))
        }
        let commitHash = CommitHash.next(previous: previousCommitHash, flags: codes, netWrites: CommitHash.netWrites(writes))
        guard commitHash == metadata.commitHash else {
            throw Found(number, "the commit hash \(Hex.encode(metadata.commitHash)) differs from the one recomputed from its valid writes, \(Hex.encode(commitHash))")
        }
        return (storedHash, commitHash)
    }

    private func verifyTip(_ info: ChainInfo, blockHash: [UInt8], commitHash: [UInt8]) throws {
        let last = try connection.scalarInt("SELECT max(number) FROM blocks")
        if let last, UInt64(bitPattern: last) >= info.height {
            throw Found(info.height, "a block is stored beyond the savepoint's height \(info.height)")
        }
        guard info.height == 0 || (info.currentBlockHash == blockHash && info.commitHash == commitHash) else {
            throw Found(info.height - 1, "the savepoint's hashes differ from the last block's")
        }
    }

    /// World state must equal a replay of the history: each key's history rows are linked newest to
    /// oldest; the newest entry of a key is its state row (same version and value) or, for a delete,
    /// its row in `deleted_keys`; and state and `deleted_keys` hold nothing else.
    private func verifyStateAgainstHistory() throws {
        let bits = LedgerSchema.positionBits
        let ordered = """
            WITH ordered AS (
                SELECT namespace, key, block, tx, value, previous,
                       lag((block << \(bits)) | tx) OVER w AS expected,
                       lead(block) OVER w IS NULL AS newest
                FROM history WINDOW w AS (PARTITION BY namespace, key ORDER BY block, tx))
            """
        // The oldest kept entry of a key may link to a pruned one.
        let keptFrom = retention.transactionRowBound
        let unlinked = try connection.prepare(ordered + """
             SELECT namespace, key, block FROM ordered
             WHERE previous IS NOT expected AND NOT (expected IS NULL AND previous < \(keptFrom)) LIMIT 1
            """)
        if try unlinked.step() {
            throw Found(UInt64(bitPattern: unlinked.int64(2)),
                        "the history of \(unlinked.text(0))/\(unlinked.text(1).debugDescription) does not link to its previous entry")
        }
        let stale = try connection.prepare(ordered + """
             SELECT o.namespace, o.key, o.block FROM ordered o WHERE o.newest AND (
                CASE WHEN o.value IS NOT NULL THEN
                    NOT EXISTS (SELECT 1 FROM state s WHERE s.namespace = o.namespace AND s.key = o.key
                        AND s.block = o.block AND s.tx = o.tx AND s.value = o.value)
                    OR EXISTS (SELECT 1 FROM deleted_keys d WHERE d.namespace = o.namespace AND d.key = o.key)
                ELSE
                    EXISTS (SELECT 1 FROM state s WHERE s.namespace = o.namespace AND s.key = o.key)
                    OR NOT EXISTS (SELECT 1 FROM deleted_keys d WHERE d.namespace = o.namespace AND d.key = o.key
                        AND d.block = o.block AND d.tx = o.tx)
                END)
            LIMIT 1
            """)
        if try stale.step() {
            throw Found(UInt64(bitPattern: stale.int64(2)),
                        "world state of \(stale.text(0))/\(stale.text(1).debugDescription) is not the replay of its history")
        }
        for table in ["state", "deleted_keys"] {
            let orphan = try connection.prepare("""
                SELECT r.namespace, r.key, r.block FROM \(table) r WHERE r.block >= \(retention.prunedBelow) AND NOT EXISTS (
                    SELECT 1 FROM history h WHERE h.block = r.block AND h.tx = r.tx AND h.namespace = r.namespace AND h.key = r.key)
                LIMIT 1
                """)
            if try orphan.step() {
                throw Found(UInt64(bitPattern: orphan.int64(2)),
                            "world state of \(orphan.text(0))/\(orphan.text(1).debugDescription) is not the replay of its history")
            }
        }
    }
}
