import Foundation
import Testing
import WeftCore
import WeftCrypto
import LedgerTestSupport
@testable import Ledger

@Suite struct LedgerQueryTests {
    /// A ledger with keys k000…k099 in namespace "cc", two composite keys, and a key "doc" written
    /// five times (the fourth write a delete).
    static func makeLedger(_ directory: TemporaryDirectory, maxPageSize: Int = 1000) throws -> Ledger {
        var configuration = LedgerConfiguration()
        configuration.maxPageSize = maxPageSize
        let ledger = try Ledger.open(path: directory.path(), configuration: configuration)
        var builder = BlockBuilder()
        let plain = (0..<100).map { (String(format: "k%03d", $0), Optional("v\($0)")) }
        let composite = [
            (try CompositeKey.make(objectType: "asset", attributes: ["alice", "1"]), Optional("a1")),
            (try CompositeKey.make(objectType: "asset", attributes: ["bob", "2"]), Optional("b2")),
        ]
        let (b0, t0) = builder.next([BlockBuilder.tx("load", plain + composite)])
        try ledger.commit(b0, transactions: t0)
        for round in 0..<5 {
            let value: String? = round == 3 ? nil : "doc-\(round)"
            let (block, transactions) = builder.next([
                BlockBuilder.tx("skip-\(round)", [("other", "x")]),
                BlockBuilder.tx("doc-\(round)", [("doc", value)]),
            ])
            try ledger.commit(block, transactions: transactions)
        }
        return ledger
    }

    @Test func rangePagesWithBookmarksCoverTheRangeOnce() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.makeLedger(directory)
        let snapshot = try ledger.snapshot()
        var keys: [String] = []
        var bookmark: String?
        var pages = 0
        repeat {
            let page = try snapshot.range(namespace: "cc", startKey: "k010", endKey: "k050", pageSize: 7, bookmark: bookmark)
            #expect(page.entries.count <= 7)
            keys += page.entries.map(\.key)
            bookmark = page.bookmark
            pages += 1
        } while bookmark != nil
        #expect(keys == (10..<50).map { String(format: "k%03d", $0) })
        #expect(pages == 6)
        let entry = try #require(try snapshot.range(namespace: "cc", startKey: "k042", endKey: "", pageSize: 1).entries.first)
        #expect(entry == StateEntry(key: "k042", value: Array("v42".utf8), version: Version(blockNumber: 0, txNumber: 0)))
    }

    @Test func plainRangeSkipsCompositeKeysAndCompositeScanFindsThem() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.makeLedger(directory)
        let snapshot = try ledger.snapshot()
        let all = try snapshot.range(namespace: "cc", startKey: "", endKey: "", pageSize: 1000)
        #expect(all.entries.count == 102)  // k000…k099, doc, other — no composite keys
        #expect(all.entries.allSatisfy { !$0.key.hasPrefix("\u{0}") })
        let assets = try snapshot.compositeKeyScan(namespace: "cc", objectType: "asset", pageSize: 10)
        #expect(assets.entries.map(\.value) == [Array("a1".utf8), Array("b2".utf8)])
        let bobs = try snapshot.compositeKeyScan(namespace: "cc", objectType: "asset", attributes: ["bob"], pageSize: 10)
        #expect(bobs.entries.count == 1)
        #expect(CompositeKey.split(bobs.entries[0].key)! == ("asset", ["bob", "2"]))
        #expect(throws: LedgerError.self) { try CompositeKey.make(objectType: "a\u{0}b", attributes: []) }
        #expect(throws: LedgerError.self) { try CompositeKey.make(objectType: "", attributes: []) }
    }

    @Test func oversizedPageSizeIsCappedAndBadArgumentsAreRefused() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.makeLedger(directory, maxPageSize: 25)
        let snapshot = try ledger.snapshot()
        let page = try snapshot.range(namespace: "cc", startKey: "", endKey: "", pageSize: Int.max)
        #expect(page.pageSize == 25)
        #expect(page.entries.count == 25)
        #expect(page.bookmark != nil)
        #expect(try snapshot.history(namespace: "cc", key: "doc", pageSize: 1_000_000).pageSize == 25)
        #expect(throws: LedgerError.invalidArgument("page size 0 must be at least 1")) {
            try snapshot.range(namespace: "cc", startKey: "", endKey: "", pageSize: 0)
        }
        #expect(throws: LedgerError.self) {
            try snapshot.range(namespace: "cc", startKey: "", endKey: "", pageSize: 5, bookmark: "not hex")
        }
        #expect(throws: LedgerError.self) {
            try snapshot.history(namespace: "cc", key: "doc", pageSize: 5, bookmark: "1:x")
        }
    }

    @Test func historyInBothOrdersWithPaging() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.makeLedger(directory)
        let snapshot = try ledger.snapshot()
        var oldest: [KeyModification] = []
        var bookmark: String?
        repeat {
            let page = try snapshot.history(namespace: "cc", key: "doc", order: .oldestFirst, pageSize: 2, bookmark: bookmark)
            oldest += page.entries
            bookmark = page.bookmark
        } while bookmark != nil
        #expect(oldest.map(\.txID) == ["doc-0", "doc-1", "doc-2", "doc-3", "doc-4"])
        #expect(oldest.map(\.version) == (1...5).map { Version(blockNumber: UInt64($0), txNumber: 1) })
        #expect(oldest[3].isDelete && oldest[3].value == nil)
        #expect(oldest[4].value == Array("doc-4".utf8))
        let newest = try snapshot.history(namespace: "cc", key: "doc", order: .newestFirst, pageSize: 3)
        #expect(newest.entries.map(\.txID) == ["doc-4", "doc-3", "doc-2"])
        let rest = try snapshot.history(namespace: "cc", key: "doc", order: .newestFirst, pageSize: 3, bookmark: newest.bookmark)
        #expect(rest.entries.map(\.txID) == ["doc-1", "doc-0"])
        #expect(rest.bookmark == nil)
        #expect(try snapshot.history(namespace: "cc", key: "never", pageSize: 3).entries.isEmpty)
    }

    @Test func inclusionProofOfEveryTransactionVerifiesAgainstItsHeader() throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.path())
        var builder = BlockBuilder()
        let transactions = (0..<13).map { BlockBuilder.tx("t\($0)", [("k\($0)", "v")]) }
        let (block, committed) = builder.next(transactions)
        try ledger.commit(block, transactions: committed)
        let snapshot = try ledger.snapshot()
        for index in 0..<13 {
            let proof = try #require(try snapshot.inclusionProof(txID: "t\(index)"))
            #expect(proof.txNumber == UInt32(index) && proof.treeSize == 13)
            try proof.verify(against: block.header)
            var forged = proof
            forged.envelope = [0xde, 0xad]
            #expect(throws: MerkleProofError.self) { try forged.verify(against: block.header) }
        }
        #expect(try snapshot.inclusionProof(txID: "missing") == nil)
    }

    /// Snapshots open while blocks commit do not hold the committer up: with four snapshots held (each a
    /// read transaction on its own connection), 30 blocks commit, each snapshot keeps the view it opened
    /// with, and a new snapshot sees every block. Checked in one task, in a fixed order: were a reader
    /// able to block a commit, `commit` would fail with `SQLITE_BUSY` (or never return), not pass by luck.
    @Test func openSnapshotsDoNotBlockTheCommitter() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.makeLedger(directory)
        var builder = BlockBuilder(continuing: ledger.chainInfo)
        let start = ledger.chainInfo.height
        let held = try (0..<4).map { _ in try ledger.snapshot() }
        for snapshot in held { #expect(try snapshot.value(namespace: "cc", key: "k000") != nil) }
        for round in 0..<30 {
            let (block, transactions) = builder.next([BlockBuilder.tx("held-\(round)", [("counter", "\(round)")])])
            try ledger.commit(block, transactions: transactions)
        }
        #expect(ledger.chainInfo.height == start + 30)
        for snapshot in held {
            #expect(snapshot.chainInfo.height == start)
            #expect(try snapshot.value(namespace: "cc", key: "counter") == nil, "the held view predates every counter write")
            #expect(try snapshot.block(number: start) == nil)
            snapshot.close()
        }
        let fresh = try ledger.snapshot()
        #expect(try fresh.value(namespace: "cc", key: "counter")?.value == Array("29".utf8))
        fresh.close()
    }

    /// Readers on several threads, each snapshot taken while blocks commit, see one block's state
    /// throughout: every read in a snapshot agrees with the snapshot's height.
    @Test func concurrentReadersEachSeeOneConsistentBlock() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.makeLedger(directory)
        var builder = BlockBuilder(continuing: ledger.chainInfo)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for reader in 0..<4 {
                group.addTask {
                    var reads = 0
                    for _ in 0..<50 {
                        let snapshot = try ledger.snapshot()
                        let height = snapshot.chainInfo.height
                        // Within one snapshot every read agrees with its height.
                        let value = try snapshot.value(namespace: "cc", key: "k\(String(format: "%03d", reader))")
                        #expect(value != nil)
                        #expect(snapshot.chainInfo.height == height)
                        let counter = try snapshot.value(namespace: "cc", key: "counter")
                        if let counter {
                            #expect(counter.version.blockNumber == height - 1)
                        }
                        snapshot.close()
                        reads += 1
                    }
                    return reads
                }
            }
            for round in 0..<30 {
                let (block, transactions) = builder.next([BlockBuilder.tx("c\(round)", [("counter", "\(round)")])])
                try ledger.commit(block, transactions: transactions)
            }
            var total = 0
            for try await reads in group { total += reads }
            #expect(total == 200)
        }
    }
}
