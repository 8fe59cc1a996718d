import Foundation
import Testing
import WeftCore
import LedgerTestSupport
import Raft
@testable import Ledger

/// A real child process commits blocks with durable commits and is killed with SIGKILL while it works,
/// 50 times. After each kill the ledger must open, hold every block the child reported as committed,
/// pass the full verification (hash chain, data hashes, commit hashes, state = replay of history), have
/// no partial block, and hold exactly the state of a replay of its blocks.
///
/// Each kill waits for a condition, not for the clock: the child has reported 1–4 new blocks in this
/// round (a seeded choice), so it is in the middle of its next commit — every kill lands while it works,
/// however slow the machine. The waits are cancellable, so a writer that hangs without exiting fails
/// the suite's time limit instead of stalling the run.
@Suite(.timeLimit(.minutes(10))) struct CrashConsistencyTests {
    static let seed: UInt64 = 20_261_126

    @Test func killedWriterLeavesAConsistentLedger() async throws {
        let writer = try Self.crashWriter()
        let directory = TemporaryDirectory()
        let path = directory.path()
        let workload = DeterministicWorkload(seed: Self.seed)
        var random = SplitMix64(seed: 99)
        var previousHeight: UInt64 = 0
        var landedAfterCommitBeforeReport = 0
        for round in 0..<50 {
            let process = Process()
            process.executableURL = writer
            process.arguments = [path, "\(Self.seed)"]
            let output = Pipe()
            process.standardOutput = output
            let heights = Self.reportedHeights(of: output.fileHandleForReading)
            // Waiting is asynchronous, so this long test never holds a thread of the cooperative pool.
            let exited = AsyncStream.makeStream(of: Void.self)
            process.terminationHandler = { _ in exited.continuation.finish() }
            try process.run()
            let target = previousHeight + 1 + random.next() % 4
            var reports = heights.makeAsyncIterator()
            var printed: UInt64 = 0
            while let height = await reports.next() {
                printed = height
                if height >= target { break }
            }
            kill(process.processIdentifier, SIGKILL)
            for await _ in exited.stream {}
            // What it printed after the line that triggered the kill (the pipe is read to its end).
            while let height = await reports.next() { printed = max(printed, height) }
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the writer exited by itself")
            #expect(printed >= target, "round \(round): the writer stopped at \(printed) before reaching \(target)")

            let ledger = try Ledger.open(path: path)
            let info = ledger.chainInfo
            #expect(info.height >= printed, "round \(round): height \(printed) was reported committed but is lost")
            #expect(info.height >= previousHeight)
            if info.height > printed { landedAfterCommitBeforeReport += 1 }
            try checkState(ledger, workload: workload, round: round)
            ledger.close()
            let report = try LedgerVerifier.verify(path: path)
            #expect(report.isConsistent, "round \(round): \(String(describing: report.firstInconsistency))")
            #expect(report.height == info.height)
            previousHeight = info.height
        }
        // Informational: how often the kill fell between a durable commit and the child's report of it.
        print("CrashConsistencyTests: \(landedAfterCommitBeforeReport) of 50 kills landed after a commit, before its report")
    }

    /// The heights the writer prints, one per line, as they arrive; the stream ends at end of file.
    static func reportedHeights(of handle: FileHandle) -> AsyncStream<UInt64> {
        let (stream, continuation) = AsyncStream.makeStream(of: UInt64.self)
        let lines = LineBuffer()
        handle.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            for line in lines.append(data) {
                if let height = UInt64(line) { continuation.yield(height) }
            }
        }
        return stream
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

/// Splits bytes that arrive in arbitrary chunks into lines.
///
/// `@unchecked Sendable`: `pending` is only touched under `lock` (a pipe's readability handler runs on
/// a dispatch queue).
private final class LineBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [UInt8] = []

    /// Adds `data` and returns the lines it completed, without their newlines.
    func append(_ data: Data) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        pending += data
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        return lines
    }
}
