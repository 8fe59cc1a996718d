import WeftCore
import WeftCrypto

/// The chained commit hash (docs/encoding.md, "Commit hash"):
/// `commitHash(n) = SHA-256(commitHash(n-1) ‖ list<ValidationCode> flags ‖ list<KVWrite> netWrites)`,
/// with `commitHash(-1)` = 32 zero bytes. Two peers with equal commit hashes at block n have equal state.
public enum CommitHash {
    /// `commitHash(-1)`: 32 zero bytes.
    public static let genesisPrevious = [UInt8](repeating: 0, count: 32)

    /// The commit hash after a block with `flags` and the valid writes `netWrites`
    /// (already reduced by `netWrites(_:)`).
    public static func next(previous: [UInt8], flags: [ValidationCode], netWrites: [KVWrite]) -> [UInt8] {
        var writer = ByteWriter(capacity: 64 + flags.count + netWrites.count * 64)
        writer.write(raw: previous)
        writer.write(flags)
        writer.write(netWrites)
        return SHA256.hash(writer.bytes)
    }

    /// The canonical sorted valid writes of a block: of all writes given in block order (valid
    /// transactions only, each transaction's writes in order), the last write to each (namespace, key)
    /// wins; the survivors are sorted by namespace, then key, comparing UTF-8 bytes.
    public static func netWrites(_ writesInBlockOrder: some Sequence<KVWrite>) -> [KVWrite] {
        var latest: [ByteKey: KVWrite] = [:]
        for write in writesInBlockOrder { latest[ByteKey(write)] = write }
        return latest.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The net writes of a block given the committer's transactions.
    public static func netWrites(of transactions: [CommittedTransaction]) -> [KVWrite] {
        netWrites(transactions.lazy.filter { $0.validationCode.isValid }.flatMap(\.writes))
    }
}

/// A (namespace, key) identified by its UTF-8 bytes, never by Unicode canonical equivalence: two keys
/// that Swift's `String ==` calls equal can be different keys of the ledger.
struct ByteKey: Hashable, Comparable {
    let namespace: [UInt8]
    let key: [UInt8]

    init(_ write: KVWrite) {
        namespace = Array(write.namespace.utf8)
        key = Array(write.key.utf8)
    }

    static func < (lhs: ByteKey, rhs: ByteKey) -> Bool {
        if lhs.namespace != rhs.namespace { return lhs.namespace.lexicographicallyPrecedes(rhs.namespace) }
        return lhs.key.lexicographicallyPrecedes(rhs.key)
    }
}
