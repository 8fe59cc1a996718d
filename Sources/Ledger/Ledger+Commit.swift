import WeftCore
import WeftCrypto

extension Ledger {
    /// Commits `block` with the committer's decision about each of its envelopes, in ONE SQLite
    /// transaction: the block row, the transaction index (txID → block, position, code, envelope), the
    /// valid writes into world state with version (block, tx), the key history, and the savepoint. A
    /// crash at any instant leaves either the whole block or none of it.
    ///
    /// Refuses (throwing, with nothing written) a block whose number is not the next height, whose
    /// `previousHash` is not the last block's hash, whose `dataHash` is not the Merkle root of its
    /// envelopes, or whose `transactions` do not match its envelopes one to one.
    ///
    /// - Parameters:
    ///   - block: the block as ordered; its `metadata.validationFlags` and `metadata.commitHash` are
    ///     replaced by the ledger's, its orderer signatures are kept.
    ///   - transactions: one entry per envelope, in block order (see `CommittedTransaction`).
    /// - Returns: the block as stored, with validation flags and commit hash filled in.
    @discardableResult
    public func commit(_ block: Block, transactions: [CommittedTransaction]) throws(LedgerError) -> Block {
        lock.lock()
        defer { lock.unlock() }
        guard let writer else { throw .closed }
        let number = block.header.number
        try checkLinks(block, transactions: transactions, tip: tip)

        let flags = transactions.map(\.validationCode)
        let writeSet = BlockWriteSet(transactions)
        let commitHash = CommitHash.next(previous: tip.commitHash, flags: flags, netWrites: writeSet.net.map(\.write))
        var stored = block
        stored.metadata.validationFlags = flags
        stored.metadata.commitHash = commitHash
        let blockHash = block.header.hash
        let expectedHeight = tip.height

        try writer.writeTransaction { () throws(LedgerError) in
            let height = try writer.prepared("SELECT height FROM savepoint WHERE id = 0")
            let storedHeight = try height.step() ? UInt64(bitPattern: height.int64(0)) : 0
            height.reset()
            guard storedHeight == expectedHeight else {
                // Another writer committed to this file behind our back.
                throw .unexpectedBlockNumber(expected: storedHeight, actual: number)
            }
            let insertBlock = try writer.prepared(
                "INSERT INTO blocks (number, hash, header, metadata, tx_count) VALUES (?1, ?2, ?3, ?4, ?5)")
            try insertBlock.bind(1, Int64(bitPattern: number))
            try insertBlock.bind(2, blob: blockHash)
            try insertBlock.bind(3, blob: block.header.canonicalBytes)
            try insertBlock.bind(4, blob: stored.metadata.canonicalBytes)
            try insertBlock.bind(5, Int64(transactions.count))
            try insertBlock.run()

            let statements = try CommitStatements(writer)
            for (position, transaction) in transactions.enumerated() {
                try insertTransaction(statements, number: number, position: position, transaction, envelope: block.data[position])
            }
            try apply(statements, number: number, writeSet)

            let savepoint = try writer.prepared("""
                INSERT INTO savepoint (id, height, block_hash, commit_hash) VALUES (0, ?1, ?2, ?3)
                ON CONFLICT (id) DO UPDATE SET height = excluded.height, block_hash = excluded.block_hash,
                    commit_hash = excluded.commit_hash
                """)
            try savepoint.bind(1, Int64(bitPattern: number + 1))
            try savepoint.bind(2, blob: blockHash)
            try savepoint.bind(3, blob: commitHash)
            try savepoint.run()
        }
        tip = ChainInfo(height: number + 1, currentBlockHash: blockHash, commitHash: commitHash)
        // The block is committed; a failed checkpoint only leaves the WAL longer, so it is not an error of this commit.
        try? checkpointer?.committed(writer: writer)
        return stored
    }

    /// Everything that refuses a block before anything is written.
    private func checkLinks(_ block: Block, transactions: [CommittedTransaction], tip: ChainInfo) throws(LedgerError) {
        let number = block.header.number
        guard number == tip.height else { throw .unexpectedBlockNumber(expected: tip.height, actual: number) }
        guard block.header.previousHash == tip.currentBlockHash else {
            throw .previousHashMismatch(blockNumber: number, expected: tip.currentBlockHash, actual: block.header.previousHash)
        }
        guard transactions.count == block.data.count else {
            throw .transactionCountMismatch(blockNumber: number, envelopes: block.data.count, transactions: transactions.count)
        }
        guard block.data.count < LedgerSchema.maxTransactionsPerBlock else {
            throw .invalidArgument(
                "block \(number) holds \(block.data.count) envelopes; a block may hold at most \(LedgerSchema.maxTransactionsPerBlock - 1)")
        }
        let dataHash = Block.dataHash(of: block.data)
        guard dataHash == block.header.dataHash else {
            throw .dataHashMismatch(blockNumber: number, expected: dataHash, actual: block.header.dataHash)
        }
        for (position, transaction) in transactions.enumerated() where transaction.validationCode.isValid {
            for write in transaction.writes {
                if write.namespace.isEmpty { throw .invalidWrite(blockNumber: number, txNumber: position, reason: "empty namespace") }
                if write.namespace.utf8.contains(0) {
                    throw .invalidWrite(blockNumber: number, txNumber: position, reason: "namespace \(write.namespace.debugDescription) contains NUL")
                }
                if write.key.isEmpty {
                    throw .invalidWrite(blockNumber: number, txNumber: position, reason: "empty key in namespace \(write.namespace)")
                }
            }
        }
    }

    private func insertTransaction(
        _ statements: CommitStatements, number: UInt64, position: Int, _ transaction: CommittedTransaction, envelope: [UInt8]
    ) throws(LedgerError) {
        let insert = statements.insertTransaction
        insert.reset()
        try insert.bind(1, LedgerSchema.transactionRowID(block: number, position: position))
        try insert.bind(2, LedgerSchema.transactionKey(transaction.txID))
        try insert.bind(3, text: transaction.txID)
        try insert.bind(4, Int64(transaction.validationCode.rawValue))
        try insert.bind(5, blob: envelope)
        try insert.run()
    }

    /// Applies the block's valid writes key by key, in key order: first the key's history rows, each
    /// linked to the key's entry before it, then its net change to state (version = the last writer's
    /// (block, tx)). A deleted key's newest entry is kept in `deleted_keys`, so its history stays reachable.
    private func apply(_ statements: CommitStatements, number: UInt64, _ writeSet: BlockWriteSet) throws(LedgerError) {
        let history = writeSet.history
        var next = 0
        for entry in writeSet.net {
            let head = try statements.head(of: entry.write)
            var previous = head.version
            while next < history.count, history[next].key == entry.key {
                try statements.insertHistory(history[next], block: number, previous: previous)
                previous = LedgerSchema.transactionRowID(block: number, position: history[next].position)
                next += 1
            }
            try statements.applyToState(entry, block: number, head: head)
        }
    }
}
