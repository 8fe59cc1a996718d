import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

/// Key history is a chain of rows, each naming its key's previous entry, reached from the key's state
/// row or its row in `deleted_keys` (schema version 2), and version 1 files are upgraded on open.
@Suite struct HistoryChainTests {
    static let seed: UInt64 = 11
    static let height: UInt64 = 60

    /// Commits the deterministic workload (deletes, re-creations, several writes of a key per block,
    /// invalid transactions) and closes the ledger.
    static func makeLedger(at path: String) throws {
        let ledger = try Ledger.open(path: path)
        var builder = BlockBuilder()
        let workload = DeterministicWorkload(seed: seed)
        for number in 0..<height {
            let (block, transactions) = builder.next(workload.transactions(ofBlock: number))
            try ledger.commit(block, transactions: transactions)
        }
        ledger.close()
    }

    /// The history of every key, oldest first, by replaying the workload: each valid transaction's
    /// last write to the key.
    static func replayedHistory() -> [String: [KeyModification]] {
        var history: [String: [KeyModification]] = [:]
        let workload = DeterministicWorkload(seed: seed)
        for number in 0..<height {
            for (position, transaction) in workload.transactions(ofBlock: number).enumerated() where transaction.validationCode.isValid {
                var last: [String: KVWrite] = [:]
                var order: [String] = []
                for write in transaction.writes {
                    let name = "\(write.namespace)/\(write.key)"
                    if last[name] == nil { order.append(name) }
                    last[name] = write
                }
                for name in order {
                    let write = last[name]!
                    history[name, default: []].append(KeyModification(
                        txID: transaction.txID, version: Version(blockNumber: number, txNumber: UInt32(position)), value: write.value))
                }
            }
        }
        return history
    }

    static func allPages(_ snapshot: LedgerSnapshot, _ name: String, order: HistoryOrder, pageSize: Int) throws -> [KeyModification] {
        let parts = name.split(separator: "/").map(String.init)
        var entries: [KeyModification] = []
        var bookmark: String?
        repeat {
            let page = try snapshot.history(namespace: parts[0], key: parts[1], order: order, pageSize: pageSize, bookmark: bookmark)
            entries += page.entries
            bookmark = page.bookmark
        } while bookmark != nil
        return entries
    }

    @Test func historyOfEveryKeyIsItsReplayInBothOrders() throws {
        let directory = TemporaryDirectory()
        try Self.makeLedger(at: directory.path())
        let ledger = try Ledger.open(path: directory.path())
        let snapshot = try ledger.snapshot()
        let expected = Self.replayedHistory()
        #expect(expected.values.contains { $0.contains(where: \.isDelete) && $0.last?.isDelete == false }, "the workload re-creates deleted keys")
        for (name, history) in expected {
            #expect(try Self.allPages(snapshot, name, order: .oldestFirst, pageSize: 3) == history, "\(name)")
            #expect(try Self.allPages(snapshot, name, order: .newestFirst, pageSize: 4) == history.reversed(), "\(name)")
        }
        // A bookmark that is not an entry of the key still means "after this version".
        let (name, history) = try #require(expected.first { $0.value.count > 4 })
        let parts = name.split(separator: "/").map(String.init)
        let middle = history[history.count / 2].version
        let between = "\(middle.blockNumber):\(middle.txNumber + 1_000)"
        // "Before or at the bookmark": the bookmark lies after every entry of `middle`'s block up to
        // transaction middle + 1000, so later entries of the same block count as older too.
        func isAtOrBeforeBookmark(_ entry: KeyModification) -> Bool {
            entry.version.blockNumber < middle.blockNumber
                || (entry.version.blockNumber == middle.blockNumber && entry.version.txNumber <= middle.txNumber + 1_000)
        }
        let older = try snapshot.history(namespace: parts[0], key: parts[1], order: .newestFirst, pageSize: 1000, bookmark: between)
        #expect(older.entries == history.filter(isAtOrBeforeBookmark).reversed())
        let newer = try snapshot.history(namespace: parts[0], key: parts[1], order: .oldestFirst, pageSize: 1000, bookmark: between)
        #expect(newer.entries == history.filter { !isAtOrBeforeBookmark($0) })
        snapshot.close()
        ledger.close()
        #expect(try LedgerVerifier.verify(path: directory.path()).isConsistent)
    }

    @Test func versionOneFileIsUpgradedOnOpen() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        try Self.makeLedger(at: path)
        // Turn the file back into schema version 1: history found through an index by key.
        let old = try SQLiteConnection(path: path, mode: .readWrite)
        try old.execute("""
            DROP TABLE deleted_keys;
            ALTER TABLE history DROP COLUMN previous;
            CREATE INDEX history_by_key ON history(namespace, key, block, tx);
            PRAGMA user_version = 1;
            """)
        old.close()

        let ledger = try Ledger.open(path: path)
        let snapshot = try ledger.snapshot()
        for (name, history) in Self.replayedHistory() {
            #expect(try Self.allPages(snapshot, name, order: .newestFirst, pageSize: 5) == history.reversed(), "\(name)")
        }
        snapshot.close()
        // Commits go on over the upgraded file.
        var builder = BlockBuilder(continuing: ledger.chainInfo)
        let (block, transactions) = builder.next([BlockBuilder.tx("after-upgrade", [("key1", "new"), ("key2", nil)], namespace: "alpha")])
        try ledger.commit(block, transactions: transactions)
        let after = try ledger.snapshot()
        #expect(try after.history(namespace: "alpha", key: "key1", order: .newestFirst, pageSize: 1).entries.first?.txID == "after-upgrade")
        after.close()
        ledger.close()

        let check = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try check.scalarInt("PRAGMA user_version") == LedgerSchema.version)
        #expect(try check.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'history_by_key'") == 0)
        check.close()
        #expect(try LedgerVerifier.verify(path: path).isConsistent)
    }

    @Test func brokenLinksAreFoundByVerifyAndRefusedByQueries() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        try Self.makeLedger(at: path)
        let (name, history) = try #require(Self.replayedHistory().first { $0.value.count > 3 && $0.value.last?.isDelete == false })
        let parts = name.split(separator: "/").map(String.init)
        let newest = try #require(history.last).version
        let keyFilter = "namespace = '\(parts[0])' AND key = CAST('\(parts[1])' AS BLOB)"

        // The newest entry links to itself: a query must stop with an error, not loop.
        let selfLink = LedgerSchema.transactionRowID(block: newest.blockNumber, position: Int(newest.txNumber))
        try tamper(path, "UPDATE history SET previous = \(selfLink) WHERE block = \(newest.blockNumber) AND tx = \(newest.txNumber) AND \(keyFilter)")
        let ledger = try Ledger.open(path: path)
        let snapshot = try ledger.snapshot()
        #expect(throws: LedgerError.self) {
            try snapshot.history(namespace: parts[0], key: parts[1], order: .newestFirst, pageSize: 100)
        }
        #expect(throws: LedgerError.self) {
            try snapshot.history(namespace: parts[0], key: parts[1], order: .oldestFirst, pageSize: 100)
        }
        snapshot.close()
        ledger.close()
        var report = try LedgerVerifier.verify(path: path)
        #expect(report.firstInconsistency?.problem.contains("does not link to its previous entry") == true, "\(String(describing: report.firstInconsistency))")

        // Unlinked: the entry's chain ends early.
        try tamper(path, "UPDATE history SET previous = NULL WHERE block = \(newest.blockNumber) AND tx = \(newest.txNumber) AND \(keyFilter)")
        report = try LedgerVerifier.verify(path: path)
        #expect(report.firstInconsistency?.problem.contains("does not link to its previous entry") == true, "\(String(describing: report.firstInconsistency))")
    }
}
