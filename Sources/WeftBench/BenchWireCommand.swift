import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Operations
import WeftCore
import WeftCommandLine

/// `weft bench wire`: the TCP protocol layer on loopback — unary round trips per second with 1 and
/// 16 concurrent callers, streamed MB/s, and handshakes per second (docs/BENCHMARKS.md, "Wire").
public struct BenchWireCommand: AsyncParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Measure WeftRPC over loopback: unary round trips/s (1 and 16 callers), stream MB/s, handshakes/s.",
        discussion: """
        Starts an RPCServer and an RPCClient in this process on 127.0.0.1 (mutual TLS 1.3 with \
        P-256 certificates of each organization's TLS CA, one TCP connection), then alternates the measurements for --rounds rounds \
        and reports medians: echo calls of --payload bytes by 1 and by 16 concurrent callers \
        (round trips/s, p50/p99 latency, process CPU µs per call), one stream of --item-size-byte \
        items read as fast as possible (MB/s, 10^6 bytes), and new connections with their TLS handshake \
        (and the first round trip that confirms it) per second. Progress goes to stderr.

        --metrics on bootstraps the metrics backend first, so the server records its RPC metrics as a
        node does (swift-metrics is bootstrapped once per process: compare separate runs).

        Example:
          swift build -c release && .build/release/weft bench wire --json
          for m in off on off on; do .build/release/weft bench wire --metrics $m --json; done
        """
    )

    @Option(help: "Seconds per measurement.")
    var seconds = 3.0

    @Option(help: "Rounds of alternating measurements; medians are reported.")
    var rounds = 3

    @Option(help: "Bytes of each unary request (echoed back).")
    var payload = 256

    @Option(name: .customLong("item-size"), help: "Bytes of each stream item.")
    var itemSize = 65536

    @Option(help: "on: record the server's RPC metrics, as a node does; off (default): swift-metrics' no-op.")
    var metrics = "off"

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    /// What `--json` prints (medians over the rounds).
    struct Report: Codable {
        let cores: Int
        let seconds: Double
        let rounds: Int
        let payloadBytes: Int
        let itemBytes: Int
        let unaryOneCaller: Unary
        let unarySixteenCallers: Unary
        let streamMegabytesPerSecond: Double
        let handshakesPerSecond: Double
    }

    /// Unary medians.
    struct Unary: Codable {
        let callsPerSecond: Double
        let p50Microseconds: Double
        let p99Microseconds: Double
        let cpuMicrosecondsPerCall: Double
    }

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Refuses option values the benchmark cannot run with (exit status 1).
    public func validate() throws {
        guard ["on", "off"].contains(metrics) else { throw ValidationError("--metrics is on or off") }
        guard seconds > 0, rounds >= 1 else { throw ValidationError("--seconds must be > 0 and --rounds ≥ 1, e.g. --seconds 3 --rounds 3") }
        guard payload >= 0, payload <= 1 << 20 else { throw ValidationError("--payload takes 0 to 1048576 bytes, e.g. --payload 256") }
        guard itemSize >= 1, itemSize <= 8 << 20 else { throw ValidationError("--item-size takes 1 to 8388608 bytes, e.g. --item-size 65536") }
    }

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() async throws {
        if metrics == "on" { WeftMetrics.bootstrap() }
        let bench = try await BenchWireRun.start(itemSize: itemSize)
        var one: [BenchWireRun.UnaryResult] = []
        var sixteen: [BenchWireRun.UnaryResult] = []
        var streams: [Double] = []
        var handshakes: [Double] = []
        do {
            _ = try await bench.unary(callers: 16, payload: payload, seconds: min(seconds, 1))  // warm-up
            for round in 1...rounds {
                progress("round \(round)/\(rounds): unary, 1 caller")
                one.append(try await bench.unary(callers: 1, payload: payload, seconds: seconds))
                progress("round \(round)/\(rounds): unary, 16 callers")
                sixteen.append(try await bench.unary(callers: 16, payload: payload, seconds: seconds))
                progress("round \(round)/\(rounds): stream")
                streams.append(try await bench.stream(seconds: seconds))
                progress("round \(round)/\(rounds): handshakes")
                handshakes.append(try await bench.handshakes(seconds: min(seconds, 2)))
            }
        } catch {
            await bench.stop()
            throw CLIFailure(.other, "the wire benchmark failed: \(error)")
        }
        await bench.stop()
        let report = Report(
            cores: ProcessInfo.processInfo.activeProcessorCount, seconds: seconds, rounds: rounds,
            payloadBytes: payload, itemBytes: itemSize,
            unaryOneCaller: Self.median(one), unarySixteenCallers: Self.median(sixteen),
            streamMegabytesPerSecond: Self.median(streams), handshakesPerSecond: Self.median(handshakes)
        )
        if json {
            try JSONOutput.print(report)
        } else {
            print("weft bench wire — loopback, one connection, \(payload)-byte echo, \(itemSize)-byte stream items, medians of \(rounds) × \(seconds) s")
            for (label, unary) in [("1 caller", report.unaryOneCaller), ("16 callers", report.unarySixteenCallers)] {
                print(TextFormat.format("  unary, %@: %.0f round trips/s, p50 %.0f µs, p99 %.0f µs, %.1f CPU µs/call",
                             label, unary.callsPerSecond, unary.p50Microseconds, unary.p99Microseconds, unary.cpuMicrosecondsPerCall))
            }
            print(TextFormat.format("  stream: %.0f MB/s", report.streamMegabytesPerSecond))
            print(TextFormat.format("  handshakes: %.0f connections/s (connect + mutual P-256 handshake + close)", report.handshakesPerSecond))
        }
    }

    private func progress(_ line: String) {
        DescriptorOutput.standardError("\(line)\n")
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func median(_ results: [BenchWireRun.UnaryResult]) -> Unary {
        Unary(
            callsPerSecond: median(results.map(\.callsPerSecond)),
            p50Microseconds: median(results.map(\.p50Microseconds)),
            p99Microseconds: median(results.map(\.p99Microseconds)),
            cpuMicrosecondsPerCall: median(results.map(\.cpuMicrosecondsPerCall))
        )
    }
}
