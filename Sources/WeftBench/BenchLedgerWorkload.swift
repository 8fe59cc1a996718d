import Ledger
import Raft
import WeftCore
import WeftCrypto

/// The transactions `weft bench ledger` commits: each reads one asset and writes two (the one it read
/// and another), with ~200-byte JSON values, in an envelope-sized stand-in of ~1.1 KB (creator
/// certificate, read-write set, one endorsement and signatures as opaque bytes: the ledger stores
/// envelopes without parsing them).
struct BenchLedgerWorkload {
    static let namespace = "assets"
    static let transactionsPerBlock = 500

    /// How many asset keys exist (asset00000000 … ).
    let keyCount: Int
    private var random: BenchRandom
    private var txCounter = 0

    init(keyCount: Int, seed: UInt64) {
        self.keyCount = keyCount
        random = BenchRandom(seed: seed)
    }

    static func key(_ index: Int) -> String {
        let digits = String(index)
        return "asset" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// A ~200-byte JSON asset document.
    mutating func value(for key: String) -> [UInt8] {
        let owner = ["alice", "bob", "carol", "dave", "erin", "frank"][Int(random.next() % 6)]
        let json = """
            {"id":"\(key)","owner":"\(owner)","color":"\(["red", "blue", "green"][Int(random.next() % 3)])",\
            "size":\(random.next() % 100),"appraisedValue":\(random.next() % 100_000),\
            "docType":"asset","note":"\(String(repeating: "x", count: 60))","rev":\(random.next() % 1_000_000)}
            """
        return Array(json.utf8)
    }

    /// A measured block's transactions: 1 read + 2 writes each, over existing keys. Also returns the
    /// keys read, which the committer's MVCC check looks up before committing.
    mutating func updateTransactions() -> (transactions: [CommittedTransaction], reads: [StateKey]) {
        var transactions: [CommittedTransaction] = []
        var reads: [StateKey] = []
        transactions.reserveCapacity(Self.transactionsPerBlock)
        for _ in 0..<Self.transactionsPerBlock {
            let readKey = Self.key(Int(random.next() % UInt64(keyCount)))
            let otherKey = Self.key(Int(random.next() % UInt64(keyCount)))
            reads.append(StateKey(namespace: Self.namespace, key: readKey))
            transactions.append(makeTransaction(writes: [readKey, otherKey]))
        }
        return (transactions, reads)
    }

    /// A preload block: each transaction creates two new keys starting at `firstKey`.
    mutating func loadTransactions(firstKey: Int, count: Int) -> [CommittedTransaction] {
        stride(from: firstKey, to: firstKey + count, by: 2).map { index in
            makeTransaction(writes: [Self.key(index), Self.key(min(index + 1, firstKey + count - 1))])
        }
    }

    /// Commits preload blocks of 1,000 new keys into `ledger` until it holds `keyCount` keys, calling
    /// `progress` with the count after each block.
    mutating func load(_ keyCount: Int, into ledger: Ledger, progress: (Int) -> Void = { _ in }) throws {
        var loaded = 0
        while loaded < keyCount {
            let count = min(1000, keyCount - loaded)
            let transactions = loadTransactions(firstKey: loaded, count: count)
            try ledger.commitNext(data: transactions.map { envelope(for: $0) }, transactions: transactions)
            loaded += count
            progress(loaded)
        }
    }

    private mutating func makeTransaction(writes keys: [String]) -> CommittedTransaction {
        txCounter += 1
        let txID = Hex.encode(SHA256.hash(Array("bench-\(txCounter)-\(random.next())".utf8)))
        let writes = keys.map { KVWrite(namespace: Self.namespace, key: $0, value: value(for: $0)) }
        return CommittedTransaction(txID: txID, validationCode: .valid, writes: writes)
    }

    /// The envelope stand-in for a transaction.
    mutating func envelope(for transaction: CommittedTransaction) -> [UInt8] {
        var writer = ByteWriter(capacity: 1200)
        writer.write(transaction.txID)
        writer.write(SerializedIdentity(mspID: "Org1MSP", certificate: randomBytes(560)))
        writer.write(lengthPrefixed: randomBytes(24))
        writer.write(transaction.writes)
        writer.write(SerializedIdentity(mspID: "Org2MSP", certificate: randomBytes(64)))
        writer.write(lengthPrefixed: randomBytes(71))
        writer.write(lengthPrefixed: randomBytes(71))
        return writer.bytes
    }

    private mutating func randomBytes(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count { withUnsafeBytes(of: random.next()) { bytes.append(contentsOf: $0) } }
        return Array(bytes.prefix(count))
    }
}

/// SplitMix64, for reproducible benchmark data.
struct BenchRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
