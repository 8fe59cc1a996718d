import ArgumentParser
import EVM
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCommandLine

/// `weft bench evm`: gas per second of compute-heavy loops inside one call, and ERC-20 transfer
/// calls per second, beside revm (PyPI `pyrevm`) running the same bytecode when python3 has it; then
/// ERC-20 transfer calls per second through the `evm` chaincode and the simulator on a SQLite ledger.
public struct BenchEVMCommand: ParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "evm",
        abstract: "EVM gas/s on compute loops and ERC-20 transfers/s, beside revm when pyrevm is installed.",
        discussion: """
        Run from the project root (it reads Chaincode/evm). Example:
          swift build -c release && .build/release/weft bench evm
          .build/release/weft bench evm --json --no-revm
        """
    )

    @Option(help: "Loop iterations per call for the compute loops.")
    var iterations = 1_000_000

    @Option(help: "Repetitions of each measurement; the median is reported.")
    var repeats = 5

    @Option(help: "Rounds, each running Weft then revm, so both see the same machine load; the median round counts.")
    var rounds = 3

    @Option(help: "Separate ERC-20 transfer transactions to time.")
    var transfers = 20_000

    @Option(help: "Seconds of ERC-20 transfers through the evm chaincode and the simulator on a SQLite ledger (0 skips).")
    var simulatorSeconds = 3.0

    @Option(help: "Folder with Token.bin and bench_revm.py.")
    var contracts = "Chaincode/evm"

    @Option(help: "Run only the workloads whose name starts with this (repeatable), e.g. --only arithmetic.")
    var only: [String] = []

    @Flag(help: "Time with the wall clock instead of the thread's CPU clock (CPU time is robust on a shared machine).")
    var wallClock = false

    @Flag(help: "Skip the revm comparison.")
    var noRevm = false

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() throws {
        let tokenCode = try loadToken()
        let cases = EVMBenchCase.standardSet(iterations: iterations, tokenInitCode: tokenCode, transfers: transfers)
            .filter { benchCase in only.isEmpty || only.contains { benchCase.name.hasPrefix($0) } }
        let runSimulator = simulatorSeconds > 0 && (only.isEmpty || only.contains { EVMBenchRow.simulatorName.hasPrefix($0) })
        guard !cases.isEmpty || runSimulator else {
            throw CLIFailure(.usage, "no workload matches --only \(only) — try --only arithmetic")
        }
        var weftRounds: [[EVMBenchRow]] = []
        var revmRounds: [[String: (gasUsed: Int, seconds: Double)]] = []
        var compareWithRevm = !noRevm && !cases.isEmpty
        for round in 1...max(rounds, 1) {
            var rows: [EVMBenchRow] = []
            for benchCase in cases {
                DescriptorOutput.standardError("round \(round): weft \(benchCase.name)…\n")
                rows.append(try EVMBenchRunner.run(benchCase, repeats: repeats, cpuClock: !wallClock))
            }
            weftRounds.append(rows)
            guard compareWithRevm else { continue }
            DescriptorOutput.standardError("round \(round): revm…\n")
            switch RevmComparison.run(cases: cases, repeats: repeats, cpuClock: !wallClock, script: contracts + "/bench_revm.py") {
            case .success(let results):
                revmRounds.append(results)
            case .failure(let reason):
                DescriptorOutput.standardError("revm comparison skipped: \(reason)\n")
                compareWithRevm = false
            }
        }
        var rows = weftRounds[0]
        for index in rows.indices {
            rows[index].seconds = median(weftRounds.map { $0[index].seconds })
            let revm = revmRounds.compactMap { $0[rows[index].name] }
            if !revm.isEmpty, revmRounds.count == weftRounds.count {
                rows[index].revm = (revm[0].gasUsed, median(revm.map(\.seconds)))
            }
        }
        var simulator: ThroughputMeter.Measurement?
        if runSimulator {
            DescriptorOutput.standardError("weft \(EVMBenchRow.simulatorName)…\n")
            let constructor = try ABI.encode([.string("Bench"), .string("BEN"), .uint(18), .uint(UInt256(1).shiftedLeft(by: 200))],
                                             as: [.string, .string, .uint(bits: 8), .uint(bits: 256)])
            simulator = try EVMSimulatorBench.run(tokenInitCode: tokenCode + constructor, seconds: simulatorSeconds)
        }
        let simulatorRate = simulator.map { wallClock ? $0.perSecond : $0.perCPUSecond }
        if json {
            print(EVMBenchRow.json(rows, simulatorCallsPerSecond: simulatorRate))
        } else {
            print(EVMBenchRow.table(rows))
            if let rate = simulatorRate {
                let failed = simulator.map { $0.failures > 0 ? " — \($0.failures) failed" : "" } ?? ""
                print(EVMBenchRow.simulatorName.padded(toLength: 25)
                      + TextFormat.format("%10.1f calls/s", rate) + "  (evm chaincode, SQLite snapshot per call)" + failed)
            }
        }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    private func loadToken() throws -> [UInt8] {
        let path = contracts + "/Token.bin"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let code = Hex.decode(text.trimmingWhitespaceAndNewlines()) else {
            throw CLIFailure(.usage, "cannot read \(path) — run from the project root or pass --contracts DIR")
        }
        return code
    }
}
