import Testing
import WeftCore
import WeftTestSupport
import LedgerTestSupport
@testable import Ledger

/// Golden commit hashes (docs/encoding.md, "Commit hash") for a three-block chain, checked both on
/// `CommitHash` and on what `Ledger.commit` — the committer's path — stores in the block metadata.
///
/// The hashed bytes are written out by hand below; each digest was computed with the `openssl` command:
///
///     printf '%s' "<previous><flags><netWrites>" | xxd -r -p | openssl dgst -sha256
///
/// never with the library's `ByteWriter` or `SHA256`.
@Suite struct GoldenCommitHashTests {
    static func write(_ namespace: String, _ key: String, _ value: String?) -> KVWrite {
        KVWrite(namespace: namespace, key: key, value: value.map { Array($0.utf8) })
    }

    /// Block 0: an invalid transaction between two valid ones; a key written twice; a namespace that is
    /// a prefix of another; and `é` both precomposed (U+00E9, `c3a9`) and decomposed (`e` U+0301,
    /// `65cc81`) — equal as Swift strings, two different keys of the ledger.
    static let block0: [CommittedTransaction] = [
        CommittedTransaction(txID: "t0", validationCode: .valid, writes: [
            write("basic", "k", "1"), write("basic", "a", "x"), write("bas", "k", "p"),
        ]),
        CommittedTransaction(txID: "t1", validationCode: .mvccReadConflict, writes: [write("basic", "k", "bad")]),
        CommittedTransaction(txID: "t2", validationCode: .valid, writes: [
            write("basic", "k", "2"), write("basic", "z", nil), write("basic", "\u{e9}", "u"), write("basic", "e\u{301}", "d"),
        ]),
    ]
    /// Block 1 deletes `k`; block 2's only transaction is invalid, so it has no net writes.
    static let block1 = [CommittedTransaction(txID: "t3", validationCode: .valid, writes: [write("basic", "k", nil)])]
    static let block2 = [CommittedTransaction(txID: "t4", validationCode: .duplicateTxID, writes: [write("basic", "q", "1")])]

    static let block0NetWrites = HexLiteral("""
        00000006                                                   # six net writes, sorted by UTF-8 bytes:
        00000003 626173     00000001 6b     01 00000001 70         # bas/k = "p" (shorter namespace first)
        00000005 6261736963 00000001 61     01 00000001 78         # basic/a = "x"
        00000005 6261736963 00000003 65cc81 01 00000001 64         # basic/e + U+0301 = "d"
        00000005 6261736963 00000001 6b     01 00000001 32         # basic/k = "2" (t2 wins; t1 is invalid)
        00000005 6261736963 00000001 7a     00                     # basic/z deleted
        00000005 6261736963 00000002 c3a9   01 00000001 75         # basic/U+00E9 = "u"
        """).bytes
    /// SHA-256(32 zero bytes ‖ `00000003 00 0b 00` ‖ block0NetWrites).
    static let commit0 = HexLiteral("5bac386879b7036748def9d27980338763ad8fc0521049e16de41a50dd0f45ce").bytes
    /// SHA-256(commit0 ‖ `00000001 00` ‖ `00000001 00000005 6261736963 00000001 6b 00`).
    static let commit1 = HexLiteral("0f028ffd2f2ed1556cb4bd576309589aa1552479d9bd2a8b837f9d56944dfa55").bytes
    /// SHA-256(commit1 ‖ `00000001 09` ‖ `00000000`).
    static let commit2 = HexLiteral("0c2a91e98064375b0315133eb3e42fe43c89c6aea5986b01276d016a7250e9e4").bytes

    @Test func netWritesAreTheLastValidWriteSortedByBytes() {
        let net = CommitHash.netWrites(of: Self.block0)
        #expect(net == [
            Self.write("bas", "k", "p"), Self.write("basic", "a", "x"), Self.write("basic", "e\u{301}", "d"),
            Self.write("basic", "k", "2"), Self.write("basic", "z", nil), Self.write("basic", "\u{e9}", "u"),
        ])
        #expect(net.map { Array($0.key.utf8) }.contains([0x65, 0xcc, 0x81]) && net.map { Array($0.key.utf8) }.contains([0xc3, 0xa9]))
        #expect(net.canonicalListBytes == Self.block0NetWrites)
    }

    @Test func chainOfCommitHashes() {
        let flags0 = Self.block0.map(\.validationCode)
        let hash0 = CommitHash.next(previous: CommitHash.genesisPrevious, flags: flags0, netWrites: CommitHash.netWrites(of: Self.block0))
        #expect(hash0 == Self.commit0)
        let hash1 = CommitHash.next(previous: hash0, flags: [.valid], netWrites: CommitHash.netWrites(of: Self.block1))
        #expect(hash1 == Self.commit1)
        let hash2 = CommitHash.next(previous: hash1, flags: [.duplicateTxID], netWrites: CommitHash.netWrites(of: Self.block2))
        #expect(hash2 == Self.commit2)
    }

    /// The ledger's own commit path (`BlockWriteSet`, not `CommitHash.netWrites`) stores the same hashes.
    @Test func ledgerCommitStoresTheGoldenHashes() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        var builder = BlockBuilder()
        var stored: [[UInt8]] = []
        for transactions in [Self.block0, Self.block1, Self.block2] {
            let (block, input) = builder.next(transactions)
            stored.append(try ledger.commit(block, transactions: input).metadata.commitHash)
        }
        #expect(stored == [Self.commit0, Self.commit1, Self.commit2])
        #expect(ledger.chainInfo.commitHash == Self.commit2)
    }
}

extension Array where Element == KVWrite {
    /// `list<KVWrite>` as `Ledger` hashes it.
    fileprivate var canonicalListBytes: [UInt8] {
        var writer = ByteWriter()
        writer.write(self)
        return writer.bytes
    }
}
