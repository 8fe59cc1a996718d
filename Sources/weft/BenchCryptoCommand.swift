import ArgumentParser
import Foundation
import WeftCrypto

/// `weft bench crypto`: ECDSA P-256 sign/s and verify/s through WeftCrypto against `openssl speed`.
struct BenchCryptoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Measure ECDSA P-256 sign/s and verify/s through WeftCrypto, against openssl speed.",
        discussion: """
        Signs and verifies a 32-byte message (SHA-256, then ECDSA; signatures low-S, verification the \
        ledger's strict check) for --seconds on one thread and on --threads threads, and runs \
        `openssl speed -seconds S ecdsap256` (and `-multi N` for the threads) in the same run. The \
        measurements alternate for --rounds rounds and the medians are reported, so background load \
        hits both sides alike. Progress goes to stderr.

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

    /// What `--json` prints.
    struct Report: Codable {
        let cpuModel: String
        let cores: Int
        let seconds: Int
        let rounds: Int
        let threads: Int
        let weftOneCore: Rates
        let weftAllCores: Rates
        let openSSLOneCore: Rates?
        let openSSLAllCores: Rates?
        /// WeftCrypto one core ÷ openssl one core (goals: sign ≥ 0.90, verify ≥ 0.95).
        let signRatioOneCore: Double?
        let verifyRatioOneCore: Double?
        /// WeftCrypto all cores ÷ openssl one core (goal with 2 cores: ≥ 1.8).
        let signAllCoresOverOpenSSLOneCore: Double?
        let verifyAllCoresOverOpenSSLOneCore: Double?
    }

    func validate() throws {
        guard seconds >= 1 else { throw ValidationError("--seconds must be at least 1, e.g. --seconds 3") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, e.g. --rounds 3") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, e.g. --threads 2") }
    }

    func run() throws {
        let key: P256SigningKey
        let message = Array(repeating: UInt8(0x5a), count: 32)
        let signature: [UInt8]
        do {
            key = try P256SigningKey()
            signature = try key.signature(for: message)
        } catch {
            throw CLIFailure(.other, "could not create a benchmark key: \(error)")
        }
        let verifier = key.publicKey
        let sign: @Sendable () -> Bool = { (try? key.signature(for: message)) != nil }
        let verify: @Sendable () -> Bool = { verifier.isValidSignature(signature, for: message) }

        var weftOneRounds: [Rates] = []
        var weftAllRounds: [Rates] = []
        var openSSLOneRounds: [Rates] = []
        var openSSLAllRounds: [Rates] = []
        for round in 1...rounds {
            progress("round \(round) of \(rounds)")
            if !noOpenSSL { openSSLOneRounds.append(try openSSL(processes: 1)) }
            weftOneRounds.append(try measure(sign: sign, verify: verify, threads: 1))
            if threads > 1 {
                if !noOpenSSL { openSSLAllRounds.append(try openSSL(processes: threads)) }
                weftAllRounds.append(try measure(sign: sign, verify: verify, threads: threads))
            }
        }
        let weftOne = Self.median(weftOneRounds)
        let weftAll = threads > 1 ? Self.median(weftAllRounds) : weftOne
        let openSSLOne = openSSLOneRounds.isEmpty ? nil : Self.median(openSSLOneRounds)
        let openSSLAll = openSSLAllRounds.isEmpty ? nil : Self.median(openSSLAllRounds)
        let report = Report(
            cpuModel: Self.cpuModel(), cores: ProcessInfo.processInfo.activeProcessorCount,
            seconds: seconds, rounds: rounds, threads: threads, weftOneCore: weftOne, weftAllCores: weftAll,
            openSSLOneCore: openSSLOne, openSSLAllCores: openSSLAll,
            signRatioOneCore: openSSLOne.map { weftOne.signPerSecond / $0.signPerSecond },
            verifyRatioOneCore: openSSLOne.map { weftOne.verifyPerSecond / $0.verifyPerSecond },
            signAllCoresOverOpenSSLOneCore: openSSLOne.map { weftAll.signPerSecond / $0.signPerSecond },
            verifyAllCoresOverOpenSSLOneCore: openSSLOne.map { weftAll.verifyPerSecond / $0.verifyPerSecond })
        if json { try JSONOutput.print(report) } else { printText(report) }
    }

    private func measure(
        sign: @escaping @Sendable () -> Bool, verify: @escaping @Sendable () -> Bool, threads: Int
    ) throws -> Rates {
        progress("WeftCrypto sign, \(threads) thread(s), \(seconds) s …")
        let signed = ThroughputMeter.measure(threads: threads, seconds: Double(seconds), operation: sign)
        progress("WeftCrypto verify, \(threads) thread(s), \(seconds) s …")
        let verified = ThroughputMeter.measure(threads: threads, seconds: Double(seconds), operation: verify)
        guard signed.failures == 0, verified.failures == 0 else {
            throw CLIFailure(.other, "\(signed.failures) signings and \(verified.failures) verifications failed during the run")
        }
        return Rates(signPerSecond: signed.perSecond, verifyPerSecond: verified.perSecond)
    }

    private func openSSL(processes: Int) throws -> Rates {
        let multi = processes > 1 ? " -multi \(processes)" : ""
        progress("openssl speed\(multi) -seconds \(seconds) ecdsap256 …")
        let figures = try OpenSSLSpeed.run(seconds: seconds, processes: processes)
        return Rates(signPerSecond: figures.signPerSecond, verifyPerSecond: figures.verifyPerSecond)
    }

    /// The median sign rate and the median verify rate of the rounds.
    static func median(_ rounds: [Rates]) -> Rates {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
        return Rates(signPerSecond: median(rounds.map(\.signPerSecond)),
                     verifyPerSecond: median(rounds.map(\.verifyPerSecond)))
    }

    private func printText(_ report: Report) {
        func row(_ name: String, _ rates: Rates?) {
            guard let rates else { return }
            print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
                + String(format: "%12.0f %12.0f", rates.signPerSecond, rates.verifyPerSecond))
        }
        func ratio(_ name: String, _ value: Double?, goal: Double) {
            guard let value else { return }
            print(name.padding(toLength: 48, withPad: " ", startingAt: 0)
                + String(format: "%6.2f  (goal ≥ %.2f) %@", value, goal, value >= goal ? "ok" : "BELOW GOAL"))
        }
        print("ECDSA P-256 — \(report.cpuModel), \(report.cores) cores, "
            + "median of \(report.rounds) rounds of \(report.seconds) s per figure")
        print("".padding(toLength: 34, withPad: " ", startingAt: 0) + "      sign/s     verify/s")
        row("WeftCrypto, 1 thread", report.weftOneCore)
        if report.threads > 1 { row("WeftCrypto, \(report.threads) threads", report.weftAllCores) }
        row("openssl speed", report.openSSLOneCore)
        row("openssl speed -multi \(report.threads)", report.openSSLAllCores)
        ratio("sign, 1 thread ÷ openssl", report.signRatioOneCore, goal: 0.90)
        ratio("verify, 1 thread ÷ openssl", report.verifyRatioOneCore, goal: 0.95)
        let scalingGoal = 0.9 * Double(min(report.threads, 2))
        ratio("sign, \(report.threads) threads ÷ openssl 1 core", report.signAllCoresOverOpenSSLOneCore, goal: scalingGoal)
        ratio("verify, \(report.threads) threads ÷ openssl 1 core", report.verifyAllCoresOverOpenSSLOneCore, goal: scalingGoal)
    }

    private func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The CPU model from /proc/cpuinfo, or "unknown CPU".
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown CPU"
    }
}
