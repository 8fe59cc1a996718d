#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftClient
import WeftCore
import WeftCommandLine

/// The transactions of an e2e workload.
struct E2EWorkload: Sendable {
    let name: String
    let accounts: Int

    /// Creates the smallbank accounts (asset-transfer needs nothing).
    func prepare(_ gateway: Gateway) async throws {
        guard name == "smallbank" else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for account in 0..<accounts {
                if account >= 64 { try await group.next() }
                group.addTask {
                    _ = try? await gateway.submitDirect(chaincode: "smallbank", function: "CreateAccount",
                                                  arguments: ["acct\(account)", "name\(account)", "1000000", "1000000"].map { Array($0.utf8) })
                }
            }
            try await group.waitForAll()
        }
    }

    /// The chaincode, function and arguments of transaction `index`.
    func transaction(_ index: Int) -> (chaincode: String, function: String, arguments: [[UInt8]]) {
        if name == "smallbank" {
            let from = Int.random(in: 0..<accounts)
            let to = (from + Int.random(in: 1..<accounts)) % accounts
            return ("smallbank", "SendPayment", ["acct\(from)", "acct\(to)", "1"].map { Array($0.utf8) })
        }
        let id = "e2e-\(UUID().uuidString.prefix(8))-\(index)"
        return ("asset-transfer", "CreateAsset", [id, "blue", "5", "owner\(index % accounts)", "300"].map { Array($0.utf8) })
    }
}

/// What a run measured.
struct E2EReport: Encodable {
    var submitted = 0
    var committed = 0
    var valid = 0
    var invalid = 0
    var failed = 0
    /// How many failures of each kind (the first 80 characters of the error).
    var failures: [String: Int] = [:]
    var seconds = 0.0
    var p50Milliseconds = 0.0
    var p95Milliseconds = 0.0
    var p99Milliseconds = 0.0

    var committedPerSecond: Double { Double(committed) / max(seconds, 1e-9) }

    /// Runs made at the same time (one per channel): counts summed over the longest run, the worst
    /// channel's percentiles.
    static func combined(_ reports: [E2EReport]) -> E2EReport {
        var total = E2EReport()
        for report in reports {
            total.submitted += report.submitted
            total.committed += report.committed
            total.valid += report.valid
            total.invalid += report.invalid
            total.failed += report.failed
            total.failures.merge(report.failures, uniquingKeysWith: +)
            total.seconds = max(total.seconds, report.seconds)
            total.p50Milliseconds = max(total.p50Milliseconds, report.p50Milliseconds)
            total.p95Milliseconds = max(total.p95Milliseconds, report.p95Milliseconds)
            total.p99Milliseconds = max(total.p99Milliseconds, report.p99Milliseconds)
        }
        return total
    }
    var invalidShare: Double { Double(invalid) / Double(max(committed, 1)) }

    func summary(workload: String, rate: Int) -> String {
        TextFormat.format("%@ at %@: %.0f committed tx/s (%d committed, %.1f%% invalid, %d failed) latency p50 %.0f ms p95 %.0f ms p99 %.0f ms",
               workload, rate == 0 ? "saturation" : "\(rate) tx/s offered", committedPerSecond, committed, 100 * invalidShare,
               failed, p50Milliseconds, p95Milliseconds, p99Milliseconds)
            + failures.sorted { $0.value > $1.value }.prefix(3).map { "\n  \($0.value)× \($0.key)" }.joined()
    }
}

struct E2EOutput: Encodable {
    var workload: String
    var offeredRate: Int
    /// The nodes' `WEFT_METRICS`: `on` or `off`.
    var metrics: String
    /// `peer-gateway` (the default) or `client` (`--direct`: the client endorses and broadcasts).
    var submitPath: String
    var report: E2EReport
    var nodes: [ProcessUsage.PerTransaction]
    /// The signature bound of the topology measured in this run, and the committed rate's share of it.
    var signatureBound: SignatureBound
    var shareOfSignatureBound: Double
}

/// Submits a workload at a rate (or as fast as `inFlight` allows) and measures submit-to-commit latency.
struct E2ELoad: Sendable {
    let gateway: Gateway
    let workload: E2EWorkload
    let rate: Int
    let seconds: Int
    let inFlight: Int
    let progress: @Sendable (String) -> Void
    /// When set, every acknowledged transaction is written there at the end, one line each:
    /// `txID blockNumber validationCode` (what `Network/test-hosts.sh` checks the ledgers against).
    var acknowledgedLog: String? = nil
    /// Whether each submit goes through one peer's gateway (`Gateway.submit`, as `weft tx
    /// submit` does) instead of the client endorsing and broadcasting itself (`Gateway.submitDirect`).
    var throughPeer = false

    actor Tally {
        var report = E2EReport()
        var latencies: [Double] = []
        var acknowledged: [String] = []
        func record(_ result: Result<SubmitResult, Error>, milliseconds: Double) {
            switch result {
            case .success(let done):
                acknowledged.append("\(done.txID) \(done.blockNumber) \(done.code.name)")
                report.committed += 1
                if done.code.isValid { report.valid += 1 } else { report.invalid += 1 }
                latencies.append(milliseconds)
            case .failure(let error):
                report.failed += 1
                report.failures[Self.failureKind(error), default: 0] += 1
            }
        }
        func submitted() { report.submitted += 1 }

        /// The error's message with transaction IDs (64 hex digits) left out, so failures of one kind
        /// count together: "transaction <txID> was not committed within 30 s".
        static func failureKind(_ error: Error) -> String {
            let words: [String] = "\(error)".split(separator: " ", omittingEmptySubsequences: false).map { (word: Substring) -> String in
                word.count == 64 && word.allSatisfy(\.isHexDigit) ? "<txID>" : String(word)
            }
            return String(words.joined(separator: " ").prefix(100))
        }
        var committed: Int { report.committed }
    }

    func run() async throws -> E2EReport {
        let tally = Tally()
        let start = ContinuousClock.now
        let end = start + .seconds(seconds)
        let progress = progress
        let ticker = Task {
            var last = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let now = await tally.committed
                progress("\(Int((ContinuousClock.now - start).components.seconds)) s: \(now - last) tx/s committed, \(now) total")
                last = now
            }
        }
        await withTaskGroup(of: Void.self) { group in
            var index = 0
            var running = 0
            while ContinuousClock.now < end {
                if rate > 0 {
                    let due = start + .milliseconds(index * 1000 / rate)
                    if due > ContinuousClock.now { try? await Task.sleep(until: due, clock: .continuous) }
                }
                if running >= inFlight {
                    await group.next()
                    running -= 1
                }
                let transaction = workload.transaction(index)
                index += 1
                running += 1
                await tally.submitted()
                let (gateway, throughPeer) = (gateway, throughPeer)
                group.addTask {
                    let began = ContinuousClock.now
                    let result = await Result {
                        throughPeer
                            ? try await gateway.submit(chaincode: transaction.chaincode, function: transaction.function, arguments: transaction.arguments)
                            : try await gateway.submitDirect(chaincode: transaction.chaincode, function: transaction.function, arguments: transaction.arguments)
                    }
                    let elapsed = ContinuousClock.now - began
                    await tally.record(result, milliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
            }
            await group.waitForAll()
        }
        ticker.cancel()
        var report = await tally.report
        let elapsed = ContinuousClock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let sorted = await tally.latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        report.p50Milliseconds = percentile(0.50)
        report.p95Milliseconds = percentile(0.95)
        report.p99Milliseconds = percentile(0.99)
        if let acknowledgedLog {
            let lines = await tally.acknowledged
            try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: acknowledgedLog), options: .atomic)
        }
        return report
    }
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// `weft bench e2e --metrics compare`: committed tx/s of alternating runs without and with metrics.
struct MetricsComparison: Encodable {
    var rounds: Int
    var off: [Double]
    var on: [Double]
    var medianOff: Double
    var medianOn: Double
    /// CPU milliseconds per committed transaction, summed over the nodes, of each run.
    var cpuOff: [Double]
    var cpuOn: [Double]
    /// Median with metrics ÷ median without.
    var ratio: Double { medianOn / max(medianOff, 1e-9) }

    enum CodingKeys: String, CodingKey { case rounds, off, on, medianOff, medianOn, ratio, cpuOff, cpuOn }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rounds, forKey: .rounds)
        try container.encode(off, forKey: .off)
        try container.encode(on, forKey: .on)
        try container.encode(medianOff, forKey: .medianOff)
        try container.encode(medianOn, forKey: .medianOn)
        try container.encode(ratio, forKey: .ratio)
        try container.encode(cpuOff, forKey: .cpuOff)
        try container.encode(cpuOn, forKey: .cpuOn)
    }

    var summary: String {
        let list = { (values: [Double], format: String) in values.map { TextFormat.format(format, $0) }.joined(separator: ", ") }
        return "metrics off: \(list(off, "%.0f")) tx/s (median \(TextFormat.format("%.0f", medianOff))), CPU ms/tx over all nodes \(list(cpuOff, "%.2f"))\n"
            + "metrics on:  \(list(on, "%.0f")) tx/s (median \(TextFormat.format("%.0f", medianOn))), CPU ms/tx over all nodes \(list(cpuOn, "%.2f"))\n"
            + "on ÷ off: \(TextFormat.format("%.1f", 100 * ratio)) %"
    }
}
