import Foundation
import Testing
import WeftCore
import LedgerTestSupport
@testable import Ledger

/// A real child process commits blocks with durable commits and is killed with SIGKILL at a random
/// moment, 50 times. After each kill the ledger must open, hold every block the child reported as
/// committed, pass the full verification (hash chain, data hashes, commit hashes, state = replay of
/// history), have no partial block, and hold exactly the state of a replay of its blocks.
@Suite struct CrashConsistencyTests {
    static let seed: UInt64 = 20_261_126

    @Test func killedWriterLeavesAConsistentLedger() async throws {
        let writer = try Self.crashWriter()
        let directory = TemporaryDirectory()
        let path = directory.path()
        let workload = DeterministicWorkload(seed: Self.seed)
        var random = SplitMix64(seed: 99)
        var previousHeight: UInt64 = 0
        var killsDuringWork = 0
        for round in 0..<50 {
            let process = Process()
            process.executableURL = writer
            process.arguments = [path, "\(Self.seed)"]
            let output = Pipe()
            process.standardOutput = output
            // Waiting is asynchronous, so this long test never holds a thread of the cooperative pool.
            let exited = AsyncStream.makeStream(of: Void.self)
            process.terminationHandler = { _ in exited.continuation.finish() }
            try process.run()
            try await Task.sleep(for: .microseconds(20_000 + random.next() % 180_000))
            kill(process.processIdentifier, SIGKILL)
            for await _ in exited.stream {}
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the writer exited by itself")
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(separator: "\n").last.flatMap { UInt64($0) } ?? 0
            if printed > previousHeight { killsDuringWork += 1 }

            let ledger = try Ledger.open(path: path)
            let info = ledger.chainInfo
            #expect(info.height >= printed, "round \(round): block \(printed - 1) was reported committed but is lost")
            #expect(info.height >= previousHeight)
            try checkState(ledger, workload: workload, round: round)
            ledger.close()
            let report = try LedgerVerifier.verify(path: path)
            #expect(report.isConsistent, "round \(round): \(String(describing: report.firstInconsistency))")
            #expect(report.height == info.height)
            previousHeight = info.height
        }
        #expect(killsDuringWork >= 25, "the writer rarely got to commit; kills must land while it works")
    }

    /// The stored blocks are the workload's blocks and world state is their replay.
    private func checkState(_ ledger: Ledger, workload: DeterministicWorkload, round: Int) throws {
        let snapshot = try ledger.snapshot()
        defer { snapshot.close() }
        let height = snapshot.chainInfo.height
        guard height > 0 else { return }
        let last = try #require(try snapshot.block(number: height - 1))
        #expect(last.data.map { $0 } == workload.transactions(ofBlock: height - 1).map(BlockBuilder.envelope),
                "round \(round): the last block is not the one the writer built")
        #expect(try snapshot.block(number: height) == nil, "round \(round): a block beyond the savepoint")
        var stored: [String: VersionedValue] = [:]
        for namespace in ["alpha", "beta"] {
            for entry in try snapshot.range(namespace: namespace, startKey: "", endKey: "", pageSize: 1000).entries {
                stored["\(namespace)/\(entry.key)"] = VersionedValue(value: entry.value, version: entry.version)
            }
        }
        #expect(stored == workload.replay(height: height), "round \(round): state is not the replay of \(height) blocks")
    }

    /// The LedgerCrashWriter executable built beside the test bundle.
    static func crashWriter() throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("LedgerCrashWriter")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw LedgerError.invalidArgument("LedgerCrashWriter not found beside \(Bundle.main.bundleURL.path); run `swift build --build-tests`")
    }
}
