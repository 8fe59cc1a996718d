import ArgumentParser
import WeftBench

/// `weft bench <what>`: the benchmarks behind docs/BENCHMARKS.md. Run them from a release build.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Weft's figures (build with -c release first).",
        discussion: "Example:\n  swift build -c release && .build/release/weft bench crypto",
        subcommands: [
            BenchCryptoCommand.self,
            BenchLedgerCommand.self,
            BenchLifecycleCommand.self,
            BenchEVMCommand.self,
            BenchExecuteCommand.self,
            BenchCommitCommand.self,
            BenchRaftCommand.self,
            BenchWireCommand.self,
            BenchOrderCommand.self,
            BenchE2ECommand.self,
        ]
    )
}
