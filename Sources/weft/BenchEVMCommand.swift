import ArgumentParser
import EVM
import Foundation
import WeftCore

/// `weft bench evm`: gas per second of compute-heavy loops inside one call, and ERC-20 transfer
/// calls per second, beside revm (PyPI `pyrevm`) running the same bytecode when python3 has it.
struct BenchEVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    @Option(help: "Separate ERC-20 transfer transactions to time.")
    var transfers = 20_000

    @Option(help: "Folder with Token.bin and bench_revm.py.")
    var contracts = "Chaincode/evm"

    @Flag(help: "Skip the revm comparison.")
    var noRevm = false

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func run() throws {
        let tokenCode = try loadToken()
        let cases = EVMBenchCases.make(iterations: iterations, tokenInitCode: tokenCode, transfers: transfers)
        var rows: [EVMBenchRow] = []
        for benchCase in cases {
            FileHandle.standardError.write(Data("weft: \(benchCase.name)…\n".utf8))
            rows.append(try EVMBenchRunner.run(benchCase, repeats: repeats))
        }
        if !noRevm {
            let revm = RevmComparison.run(cases: cases, repeats: repeats, script: contracts + "/bench_revm.py")
            switch revm {
            case .success(let results):
                for index in rows.indices { rows[index].revm = results[rows[index].name] }
            case .failure(let reason):
                FileHandle.standardError.write(Data("revm comparison skipped: \(reason)\n".utf8))
            }
        }
        print(json ? EVMBenchRow.json(rows) : EVMBenchRow.table(rows))
    }

    private func loadToken() throws -> [UInt8] {
        let path = contracts + "/Token.bin"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let code = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CLIFailure(.usage, "cannot read \(path) — run from the project root or pass --contracts DIR")
        }
        return code
    }
}
