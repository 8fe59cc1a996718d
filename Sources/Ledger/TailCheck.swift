import WeftCore
import WeftCrypto

/// The check run on every open: the savepoint and the last two blocks must agree. It reads a handful
/// of rows, so it is cheap at any height; `LedgerVerifier` walks the whole chain.
enum TailCheck {
    /// Reads the savepoint and checks the chain's tail against it; returns the chain info.
    static func run(_ connection: SQLiteConnection, path: String) throws(LedgerError) -> ChainInfo {
        let savepoint = try connection.prepare("SELECT height, block_hash, commit_hash FROM savepoint WHERE id = 0")
        guard try savepoint.step() else {
            let blocks = try connection.scalarInt("SELECT max(number) FROM blocks")
            if let blocks { throw .corrupt(path: path, problem: "blocks up to \(blocks) are stored but the savepoint is missing") }
            return .empty
        }
        let height = UInt64(bitPattern: savepoint.int64(0))
        let info = ChainInfo(height: height, currentBlockHash: savepoint.blob(1), commitHash: savepoint.blob(2))
        guard height > 0 else { throw .corrupt(path: path, problem: "the savepoint records height 0") }

        let tail = try connection.prepare("SELECT number, hash, header, metadata, tx_count FROM blocks ORDER BY number DESC LIMIT 2")
        var rows: [(number: UInt64, hash: [UInt8], header: [UInt8], metadata: [UInt8], txCount: Int64)] = []
        while try tail.step() {
            rows.append((UInt64(bitPattern: tail.int64(0)), tail.blob(1), tail.blob(2), tail.blob(3), tail.int64(4)))
        }
        guard let last = rows.first else {
            throw .corrupt(path: path, problem: "the savepoint records height \(height) but no block is stored")
        }
        let lastNumber = height - 1
        guard last.number == lastNumber else {
            throw .corrupt(path: path, problem: "the savepoint records height \(height) but the last stored block is \(last.number)")
        }
        let header = try decodeHeader(last.header, number: lastNumber, path: path)
        guard header.hash == last.hash else {
            throw .corrupt(path: path, problem: "block \(lastNumber): the stored hash is not the hash of its header")
        }
        guard last.hash == info.currentBlockHash else {
            throw .corrupt(path: path, problem: "block \(lastNumber): its hash differs from the savepoint's")
        }
        let metadata: BlockMetadata
        do { metadata = try BlockMetadata(canonicalBytes: last.metadata) } catch {
            throw .corrupt(path: path, problem: "block \(lastNumber): metadata does not decode: \(error)")
        }
        guard metadata.commitHash == info.commitHash else {
            throw .corrupt(path: path, problem: "block \(lastNumber): its commit hash differs from the savepoint's")
        }
        guard Int64(metadata.validationFlags.count) == last.txCount else {
            throw .corrupt(path: path, problem: "block \(lastNumber): \(metadata.validationFlags.count) validation flags for \(last.txCount) transactions")
        }
        let first = LedgerSchema.transactionRowID(block: lastNumber, position: 0)
        let count = try connection.prepare("SELECT count(*) FROM transactions WHERE id >= ?1 AND id < ?2")
        try count.bind(1, first)
        try count.bind(2, first + Int64(LedgerSchema.maxTransactionsPerBlock))
        guard try count.step(), count.int64(0) == last.txCount else {
            throw .corrupt(path: path, problem: "block \(lastNumber): the transaction index does not hold its \(last.txCount) transactions")
        }
        if rows.count == 2 {
            let previous = rows[1]
            guard previous.number == lastNumber - 1 else {
                throw .corrupt(path: path, problem: "block \(lastNumber - 1) is missing")
            }
            guard try decodeHeader(previous.header, number: previous.number, path: path).hash == previous.hash,
                  header.previousHash == previous.hash else {
                throw .corrupt(path: path, problem: "block \(lastNumber): the hash chain is broken (previous hash does not match block \(previous.number))")
            }
        } else if lastNumber != 0 {
            // Only a ledger restored from a snapshot starts at a block other than 0.
            guard try Retention.read(connection).headersFrom == lastNumber else {
                throw .corrupt(path: path, problem: "block \(lastNumber - 1) is missing")
            }
        } else if header.previousHash != BlockHeader.genesisPreviousHash {
            throw .corrupt(path: path, problem: "block 0: previous hash is not 32 zero bytes")
        }
        return info
    }

    static func decodeHeader(_ bytes: [UInt8], number: UInt64, path: String) throws(LedgerError) -> BlockHeader {
        let header: BlockHeader
        do { header = try BlockHeader(canonicalBytes: bytes) } catch {
            throw .corrupt(path: path, problem: "block \(number): header does not decode: \(error)")
        }
        guard header.number == number else {
            throw .corrupt(path: path, problem: "block \(number): its header says block \(header.number)")
        }
        return header
    }
}
