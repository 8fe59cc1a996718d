import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto
import WeftCommandLine

/// `weft bench crypto`: ECDSA P-256 sign/s and verify/s through WeftCrypto against `openssl speed`.
public struct BenchCryptoCommand: ParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Measure ECDSA P-256 sign/s and verify/s through WeftCrypto, against openssl speed.",
        discussion: """
        Signs and verifies a 32-byte message (SHA-256, then ECDSA; signatures low-S, verification the \
        ledger's strict check) for --seconds on one thread and on --threads threads, and runs \
        `openssl speed -seconds S ecdsap256` (and `-multi N` for the threads) in the same run. The \
        measurements alternate for --rounds rounds and the medians are reported.

        `openssl speed` divides by the CPU time it used, so the ratios compare WeftCrypto's operations \
        per CPU-second with it; wall-clock rates are printed as well (on a busy machine they are lower). \
        Progress goes to stderr.

        Example:
          swift build -c release && .build/release/weft bench crypto --json
        """
    )

    @Option(help: "Seconds per measurement (openssl speed uses the same).")
    var seconds = 3

    @Option(help: "Rounds of alternating measurements; medians are reported.")
    var rounds = 3

    @Option(help: "Threads for the all-cores measurement (default: every core).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("no-openssl"), help: "Skip openssl speed (no ratios).")
    var noOpenSSL = false

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    /// Sign and verify rates.
    struct Rates: Codable {
        let signPerSecond: Double
        let verifyPerSecond: Double
    }

    /// WeftCrypto's rates per CPU-second (comparable with openssl speed) and per wall-clock second.
    struct WeftRates: Codable {
        let perCPUSecond: Rates
        let wallClock: Rates
    }

    /// What `--json` prints. Ratios are WeftCrypto per CPU-second ÷ openssl speed.
    struct Report: Codable {
        let cpuModel: String
        let cores: Int
        let seconds: Int
        let rounds: Int
        let threads: Int
        let weftOneThread: WeftRates
        let weftAllThreads: WeftRates
        let openSSLOneProcess: Rates?
        let openSSLAllProcesses: Rates?
        /// One thread ÷ openssl one process (goals: sign ≥ 0.90, verify ≥ 0.95).
        let signRatioOneCore: Double?
        let verifyRatioOneCore: Double?
        /// All threads ÷ openssl one process (goal with 2 cores: ≥ 1.8).
        let signRatioAllCoresOverOneCore: Double?
        let verifyRatioAllCoresOverOneCore: Double?
    }

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Refuses option values the benchmark cannot run with (exit status 1).
    public func validate() throws {
        guard seconds >= 1 else { throw ValidationError("--seconds must be at least 1, e.g. --seconds 3") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, e.g. --rounds 3") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, e.g. --threads 2") }
    }

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() throws {
        let ecdsa = try ECDSAThroughput()

        var weftOne: [WeftRates] = []
        var weftAll: [WeftRates] = []
        var openSSLOne: [Rates] = []
        var openSSLAll: [Rates] = []
        for round in 1...rounds {
            progress("round \(round) of \(rounds)")
            if !noOpenSSL { openSSLOne.append(try openSSL(processes: 1)) }
            weftOne.append(try measure(ecdsa, threads: 1))
            if threads > 1 {
                if !noOpenSSL { openSSLAll.append(try openSSL(processes: threads)) }
                weftAll.append(try measure(ecdsa, threads: threads))
            }
        }
        let one = Self.median(weftOne)
        let all = threads > 1 ? Self.median(weftAll) : one
        let openSSLOneMedian = openSSLOne.isEmpty ? nil : Self.median(openSSLOne)
        let report = Report(
            cpuModel: Self.cpuModel(), cores: ProcessInfo.processInfo.activeProcessorCount,
            seconds: seconds, rounds: rounds, threads: threads, weftOneThread: one, weftAllThreads: all,
            openSSLOneProcess: openSSLOneMedian,
            openSSLAllProcesses: openSSLAll.isEmpty ? nil : Self.median(openSSLAll),
            signRatioOneCore: openSSLOneMedian.map { one.perCPUSecond.signPerSecond / $0.signPerSecond },
            verifyRatioOneCore: openSSLOneMedian.map { one.perCPUSecond.verifyPerSecond / $0.verifyPerSecond },
            signRatioAllCoresOverOneCore: openSSLOneMedian.map { all.perCPUSecond.signPerSecond / $0.signPerSecond },
            verifyRatioAllCoresOverOneCore: openSSLOneMedian.map { all.perCPUSecond.verifyPerSecond / $0.verifyPerSecond })
        if json { try JSONOutput.print(report) } else { printText(report) }
    }

    private func measure(_ ecdsa: ECDSAThroughput, threads: Int) throws -> WeftRates {
        let (signed, verified) = try ecdsa.measure(threads: threads, seconds: Double(seconds), progress: progress)
        return WeftRates(
            perCPUSecond: Rates(signPerSecond: signed.perCPUSecond, verifyPerSecond: verified.perCPUSecond),
            wallClock: Rates(signPerSecond: signed.perSecond, verifyPerSecond: verified.perSecond))
    }

    private func openSSL(processes: Int) throws -> Rates {
        let multi = processes > 1 ? " -multi \(processes)" : ""
        progress("openssl speed\(multi) -seconds \(seconds) ecdsap256 …")
        let figures = try OpenSSLSpeed.run(seconds: seconds, processes: processes)
        return Rates(signPerSecond: figures.signPerSecond, verifyPerSecond: figures.verifyPerSecond)
    }

    /// The median of each figure over the rounds.
    static func median(_ rounds: [Rates]) -> Rates {
        Rates(signPerSecond: median(rounds.map(\.signPerSecond)), verifyPerSecond: median(rounds.map(\.verifyPerSecond)))
    }

    static func median(_ rounds: [WeftRates]) -> WeftRates {
        WeftRates(perCPUSecond: median(rounds.map(\.perCPUSecond)), wallClock: median(rounds.map(\.wallClock)))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private func printText(_ report: Report) {
        func row(_ name: String, _ rates: Rates?) {
            guard let rates else { return }
            print(name.padded(toLength: 44)
                + TextFormat.format("%10.0f %10.0f", rates.signPerSecond, rates.verifyPerSecond))
        }
        func ratio(_ name: String, _ value: Double?, goal: Double) {
            guard let value else { return }
            print(name.padded(toLength: 48)
                + TextFormat.format("%6.2f  (goal ≥ %.2f) %@", value, goal, value >= goal ? "ok" : "BELOW GOAL"))
        }
        let threads = report.threads
        print("ECDSA P-256 — \(report.cpuModel), \(report.cores) cores, "
            + "median of \(report.rounds) rounds of \(report.seconds) s per figure")
        print("".padded(toLength: 44) + "    sign/s   verify/s")
        row("WeftCrypto, 1 thread, per CPU-second", report.weftOneThread.perCPUSecond)
        row("openssl speed (per CPU-second)", report.openSSLOneProcess)
        if threads > 1 {
            row("WeftCrypto, \(threads) threads, per CPU-second", report.weftAllThreads.perCPUSecond)
            row("openssl speed -multi \(threads)", report.openSSLAllProcesses)
        }
        row("WeftCrypto, 1 thread, wall clock", report.weftOneThread.wallClock)
        if threads > 1 { row("WeftCrypto, \(threads) threads, wall clock", report.weftAllThreads.wallClock) }
        ratio("sign, 1 thread ÷ openssl", report.signRatioOneCore, goal: 0.90)
        ratio("verify, 1 thread ÷ openssl", report.verifyRatioOneCore, goal: 0.95)
        if threads > 1 {
            let goal = 0.9 * Double(min(threads, 2))
            ratio("sign, \(threads) threads ÷ openssl 1 process", report.signRatioAllCoresOverOneCore, goal: goal)
            ratio("verify, \(threads) threads ÷ openssl 1 process", report.verifyRatioAllCoresOverOneCore, goal: goal)
        }
    }

    private func progress(_ line: String) {
        DescriptorOutput.standardError(line + "\n")
    }

    /// The CPU model from /proc/cpuinfo, or "unknown CPU".
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingWhitespace()
            }
        }
        return "unknown CPU"
    }
}
