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
/// however slow the machine. Each wait is bounded (`killWriter`): a writer or pipe that hangs fails its
/// round with the reason instead of stalling the run until the suite's time limit.
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
            let target = previousHeight + 1 + random.next() % 4
            guard let (printed, reason) = try await Self.killWriter(writer, arguments: [path, "\(Self.seed)"], at: target, round: round) else { break }
            #expect(reason == .uncaughtSignal, "round \(round): the writer exited by itself")
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

    /// Runs the writer with `arguments` until it has reported height `target` (or exited), waits
    /// `delay`, kills it with SIGKILL, and waits until it exited and its output was read. Returns the
    /// highest height it printed and how it ended; nil, recording why, when a wait ran out — each is
    /// bounded, so a writer (or pipe) that hangs fails its round instead of stalling the suite.
    static func killWriter(
        _ writer: URL, arguments: [String], at target: UInt64, after delay: Duration = .zero, round: Int
    ) async throws -> (printed: UInt64, reason: Process.TerminationReason)? {
        let process = Process()
        process.executableURL = writer
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let heights = ReportedHeights(reading: output.fileHandleForReading)
        try process.run()
        // Checked every millisecond, so the kill lands soon after the report, while the next commit runs.
        let reached = await wait(seconds: 120, every: .milliseconds(1)) { heights.highest >= target || !process.isRunning }
        if delay > .zero { try await Task.sleep(for: delay) }
        kill(process.processIdentifier, SIGKILL)
        let exited = await wait(seconds: 60) { !process.isRunning }
        // What it printed after the line that triggered the kill: the pipe is read to its end — or,
        // when the end does not come (a process another test spawned meanwhile inherited the pipe's
        // write end and still runs), for a second after the writer died, which is what its last
        // lines in the pipe take to arrive.
        _ = await wait(seconds: 1) { heights.isFinished }
        heights.stopReading()
        guard reached, exited else {
            var why: [String] = []
            if !reached { why.append("did not reach height \(target) in 120 s (at \(heights.highest))") }
            if !exited { why.append("did not exit 60 s after SIGKILL") }
            Issue.record("round \(round): the writer \(why.joined(separator: "; "))")
            return nil
        }
        return (heights.highest, process.terminationReason)
    }

    /// Checks `condition` every `interval` until it holds (true) or `seconds` pass (false).
    static func wait(seconds: Double, every interval: Duration = .milliseconds(10), until condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: interval)
        }
        return true
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

/// The heights a writer prints, one per line, read from its pipe as they arrive (bytes come in
/// arbitrary chunks): the highest so far, and whether the pipe reached its end.
///
/// `@unchecked Sendable`: its state is only touched under `lock` (the pipe's readability handler runs
/// on a dispatch queue).
final class ReportedHeights: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var highestSeen: UInt64 = 0
    private var finished = false

    private let handle: FileHandle

    init(reading handle: FileHandle) {
        self.handle = handle
        handle.readabilityHandler = { [self] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                lock.withLock { finished = true }
                return
            }
            append(data)
        }
    }

    /// Stops reading and closes the pipe.
    func stopReading() {
        handle.readabilityHandler = nil
        try? handle.close()
    }

    var highest: UInt64 { lock.withLock { highestSeen } }
    var isFinished: Bool { lock.withLock { finished } }

    private func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        pending += data
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            if let height = UInt64(String(decoding: pending[..<newline], as: UTF8.self)) { highestSeen = max(highestSeen, height) }
            pending.removeSubrange(...newline)
        }
    }
}
