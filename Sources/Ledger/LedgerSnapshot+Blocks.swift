import WeftCore
import WeftCrypto

extension LedgerSnapshot {
    /// Block `number` as committed (with validation flags and commit hash), or nil beyond the height.
    public func block(number: UInt64) throws(LedgerError) -> Block? {
        guard number <= UInt64(Int64.max) >> LedgerSchema.positionBits else { return nil }
        return try withConnection { (connection) throws(LedgerError) in try Self.loadBlock(connection, number: number) }
    }

    /// The block whose header hash is `hash`, or nil.
    public func block(hash: [UInt8]) throws(LedgerError) -> Block? {
        try withConnection { (connection) throws(LedgerError) in
            let lookup = try connection.prepared("SELECT number FROM blocks WHERE hash = ?1")
            defer { lookup.reset() }
            try lookup.bind(1, blob: hash)
            guard try lookup.step() else { return nil }
            let number = UInt64(bitPattern: lookup.int64(0))
            lookup.reset()
            return try Self.loadBlock(connection, number: number)
        }
    }

    /// Where transaction `txID` is and its validation code (the first transaction with that id in
    /// chain order), or nil when no block holds it. Answers for pruned blocks too: the txID index is
    /// never pruned.
    public func transactionStatus(txID: String) throws(LedgerError) -> TransactionStatus? {
        try withConnection { (connection) throws(LedgerError) in try Self.lookup(txID, in: connection)?.status }
    }

    /// Transaction `txID` with its envelope bytes, or nil; `.pruned` when its block's body was pruned.
    public func transaction(txID: String) throws(LedgerError) -> TransactionRecord? {
        try withConnection { (connection) throws(LedgerError) in
            guard let record = try Self.lookup(txID, in: connection) else { return nil }
            let retention = try Retention.read(connection)
            if retention.hasPruned(record.status.blockNumber) { throw retention.prunedError(record.status.blockNumber) }
            return record
        }
    }

    /// The first transaction `txID` in chain order, with its envelope (empty when pruned).
    private static func lookup(_ txID: String, in connection: SQLiteConnection) throws(LedgerError) -> TransactionRecord? {
        let statement = try connection.prepared(
            "SELECT id, code, envelope FROM transactions WHERE tx_key = ?1 AND tx_id = ?2 ORDER BY id LIMIT 1")
        defer { statement.reset() }
        try statement.bind(1, LedgerSchema.transactionKey(txID))
        try statement.bind(2, text: txID)
        guard try statement.step() else { return nil }
        let id = statement.int64(0)
        let raw = statement.int64(1)
        guard let code = ValidationCode(rawValue: UInt8(truncatingIfNeeded: raw)), raw >= 0, raw <= 255 else {
            throw .corrupt(path: connection.path, problem: "transaction \(txID) has unknown validation code \(raw)")
        }
        let status = TransactionStatus(
            txID: txID, blockNumber: UInt64(id >> LedgerSchema.positionBits),
            txNumber: UInt32(id & (1 << LedgerSchema.positionBits - 1)), validationCode: code)
        return TransactionRecord(status: status, envelope: statement.blob(2))
    }

    /// A Merkle inclusion proof of transaction `txID`'s envelope in its block, or nil when no block
    /// holds it. Verify it with `TransactionInclusionProof.verify()` against a trusted header.
    public func inclusionProof(txID: String) throws(LedgerError) -> TransactionInclusionProof? {
        guard let record = try transaction(txID: txID) else { return nil }
        let number = record.status.blockNumber
        return try withConnection { (connection) throws(LedgerError) in
            guard let block = try Self.loadBlock(connection, number: number) else {
                throw .corrupt(path: connection.path, problem: "transaction \(txID) points at missing block \(number)")
            }
            let leafHashes = block.data.map { MerkleTree.leafHash($0) }
            let path: [[UInt8]]
            do { path = try MerkleTree.inclusionProof(leafIndex: Int(record.status.txNumber), leafHashes: leafHashes) } catch {
                throw .corrupt(path: connection.path, problem: "block \(number): \(error)")
            }
            return TransactionInclusionProof(
                txID: txID, header: block.header, txNumber: record.status.txNumber,
                treeSize: UInt64(block.data.count), envelope: record.envelope, auditPath: path)
        }
    }

    /// Reads and decodes block `number`; a row that does not decode is reported as damage.
    static func loadBlock(_ connection: SQLiteConnection, number: UInt64) throws(LedgerError) -> Block? {
        let row = try connection.prepared("SELECT header, metadata, tx_count FROM blocks WHERE number = ?1")
        defer { row.reset() }
        try row.bind(1, Int64(bitPattern: number))
        let retention = try Retention.read(connection)
        if retention.hasPruned(number) { throw retention.prunedError(number) }
        guard try row.step() else { return nil }
        let header = try TailCheck.decodeHeader(row.blob(0), number: number, path: connection.path)
        let metadata: BlockMetadata
        do { metadata = try BlockMetadata(canonicalBytes: row.blob(1)) } catch {
            throw .corrupt(path: connection.path, problem: "block \(number): metadata does not decode: \(error)")
        }
        let count = row.int64(2)
        row.reset()
        let envelopes = try connection.prepared("SELECT envelope FROM transactions WHERE id >= ?1 AND id < ?2 ORDER BY id")
        defer { envelopes.reset() }
        let first = LedgerSchema.transactionRowID(block: number, position: 0)
        try envelopes.bind(1, first)
        try envelopes.bind(2, first + Int64(LedgerSchema.maxTransactionsPerBlock))
        var data: [[UInt8]] = []
        data.reserveCapacity(Int(clamping: count))
        while try envelopes.step() { data.append(envelopes.blob(0)) }
        guard data.count == count else {
            throw .corrupt(path: connection.path, problem: "block \(number) records \(count) transactions but \(data.count) are stored")
        }
        return Block(header: header, data: data, metadata: metadata)
    }
}
