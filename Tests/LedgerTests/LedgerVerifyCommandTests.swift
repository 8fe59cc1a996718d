import Foundation
import Testing
import LedgerTestSupport
@testable import Ledger

/// `weft ledger verify` as a user runs it: the real binary, its output and its exit status.
@Suite struct LedgerVerifyCommandTests {
    static func weft() throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        for folder in candidates where FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("weft").path) {
            return folder.appendingPathComponent("weft")
        }
        throw LedgerError.invalidArgument("the weft binary was not found beside the tests; run `swift build --build-tests`")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try weft()
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    @Test func reportsConsistentInconsistentAndMissing() throws {
        let directory = TemporaryDirectory()
        let path = directory.path()
        try LedgerCorruptionTests.makeLedger(at: path, blocks: 12)

        let good = try Self.run(["ledger", "verify", path, "--json"])
        #expect(good.status == 0, "\(good.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
        #expect(document["consistent"] as? Bool == true)
        #expect(document["height"] as? Int == 12)

        let connection = try SQLiteConnection(path: path, mode: .readWrite)
        try connection.execute("UPDATE transactions SET envelope = x'00' WHERE id = \(LedgerSchema.transactionRowID(block: 4, position: 0))")
        connection.close()
        let bad = try Self.run(["ledger", "verify", path, "--json"])
        #expect(bad.status == 4)
        let badDocument = try #require(try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any])
        let inconsistency = try #require(badDocument["firstInconsistency"] as? [String: Any])
        #expect(inconsistency["blockNumber"] as? Int == 4)
        #expect(bad.stderr.contains("block 4"))
        let text = try Self.run(["ledger", "verify", path])
        #expect(text.status == 4 && text.stdout.contains("INCONSISTENT"))

        let missing = try Self.run(["ledger", "verify", directory.path("absent.sqlite")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("weft ledger verify"))
    }
}
