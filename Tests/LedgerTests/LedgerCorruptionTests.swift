import Foundation
import Testing
import WeftCore
import LedgerTestSupport
import Raft
@testable import Ledger

@Suite struct LedgerCorruptionTests {
    /// Commits `blocks` blocks of the deterministic workload and closes the ledger (checkpointing the WAL).
    static func makeLedger(at path: String, blocks: UInt64 = 60) throws {
        let ledger = try Ledger.open(path: path)
        let workload = DeterministicWorkload(seed: 3)
        var builder = BlockBuilder()
        for number in 0..<blocks {
            let (block, transactions) = builder.next(workload.transactions(ofBlock: number))
            try ledger.commit(block, transactions: transactions)
        }
        ledger.close()
    }

    static func corruptProblem(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let LedgerError.corrupt(_, problem) {
            return problem
        } catch {
            return "unexpected error: \(error)"
        }
    }

    @Test func garbageFileIsNotADatabase() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        var random = SplitMix64(seed: 1)
        _ = FileManager.default.createFile(atPath: path, contents: Data((0..<10_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }))
        let problem = Self.corruptProblem { _ = try Ledger.open(path: path) }
        #expect(problem?.contains("not a database") == true, "\(problem ?? "opened")")
        _ = FileManager.default.createFile(atPath: path, contents: Data("SQLite format 3\0".utf8))
        #expect(Self.corruptProblem { _ = try Ledger.open(path: path) }?.contains("truncated") == true)
    }

    @Test func truncatedFileIsReportedAsTruncated() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        try Self.makeLedger(at: path)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 40_000)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        let problem = Self.corruptProblem { _ = try Ledger.open(path: path) }
        #expect(problem?.contains("truncated") == true, "\(problem ?? "opened")")
        let report = try LedgerVerifier.verify(path: path)
        #expect(report.firstInconsistency?.problem.contains("truncated") == true)
    }

    @Test func anotherSQLiteDatabaseIsNotALedger() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        let other = try SQLiteConnection(path: path, mode: .readWriteCreate)
        try other.execute("CREATE TABLE people (name TEXT)")
        other.close()
        #expect(throws: LedgerError.notALedger(path: path, reason: "its application id is 0, not Weft's \(LedgerSchema.applicationID)")) {
            _ = try Ledger.open(path: path)
        }
    }

    @Test func tamperedRowsAreFoundWithTheirBlockNumber() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        try Self.makeLedger(at: path)
        #expect(try LedgerVerifier.verify(path: path).isConsistent)

        // An envelope changed in block 17: its data hash no longer matches.
        try tamper(path, "UPDATE transactions SET envelope = x'00' WHERE id = \(LedgerSchema.transactionRowID(block: 17, position: 0))")
        var report = try LedgerVerifier.verify(path: path)
        #expect(report.firstInconsistency?.blockNumber == 17)
        #expect(report.firstInconsistency?.problem.contains("data hash") == true)
        #expect(report.blocksVerified == 17)
        // Opening checks only the tail, so it still succeeds; the full walk is `verify`.
        _ = try Ledger.open(path: path)

        // A history value changed in block 5: the recomputed commit hash differs.
        try tamper(path, "UPDATE history SET value = x'01' WHERE block = 5 AND value IS NOT NULL")
        report = try LedgerVerifier.verify(path: path)
        #expect(report.firstInconsistency?.blockNumber == 5)
        #expect(report.firstInconsistency?.problem.contains("commit hash") == true)
    }

    @Test(arguments: [
        "UPDATE state SET value = x'ff' WHERE (namespace, key) = (SELECT namespace, key FROM state LIMIT 1)",
        // A deleted key's mark lost: its history no longer ends where the replay says.
        "DELETE FROM deleted_keys WHERE (namespace, key) = (SELECT namespace, key FROM deleted_keys LIMIT 1)",
    ])
    func tamperedStateIsNotTheReplayOfHistory(tampering: String) throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        try Self.makeLedger(at: path)
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        #expect(try connection.scalarInt("SELECT count(*) FROM deleted_keys") ?? 0 > 0, "the workload deletes keys")
        connection.close()
        try tamper(path, tampering)
        let report = try LedgerVerifier.verify(path: path)
        #expect(report.firstInconsistency?.problem.contains("replay of its history") == true, "\(String(describing: report.firstInconsistency))")
    }

    @Test func tamperedTailIsRefusedOnOpen() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        try Self.makeLedger(at: path)
        try tamper(path, "UPDATE blocks SET header = x'00' WHERE number = 59")
        let problem = Self.corruptProblem { _ = try Ledger.open(path: path) }
        #expect(problem?.contains("block 59") == true, "\(problem ?? "opened")")
        try tamper(path, "DELETE FROM blocks WHERE number = 59")
        let missing = Self.corruptProblem { _ = try Ledger.open(path: path) }
        #expect(missing?.contains("last stored block is 58") == true, "\(missing ?? "opened")")
    }

    @Test func overwrittenPagesNeverCrashAndAreReported() throws {
        let directory = TemporaryDirectory()
        let pristine = directory.path("pristine.sqlite")
        try Self.makeLedger(at: pristine)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pristine))
        let pages = bytes.count / 4096
        var random = SplitMix64(seed: 11)
        for page in stride(from: 1, to: pages, by: max(1, pages / 12)) {
            var damaged = bytes
            for offset in page * 4096..<min((page + 1) * 4096, damaged.count) {
                damaged[offset] = UInt8(truncatingIfNeeded: random.next())
            }
            let path = directory.path("damaged-\(page).sqlite")
            try damaged.write(to: URL(fileURLWithPath: path))
            var detected = false
            do {
                let ledger = try Ledger.open(path: path)
                ledger.close()
                detected = !(try LedgerVerifier.verify(path: path).isConsistent)
            } catch {
                detected = true
            }
            #expect(detected, "overwriting page \(page) went unnoticed")
        }
    }
}
