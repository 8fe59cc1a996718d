import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftClient
import WeftCore
import Operations
import WeftNode
#if canImport(Glibc)
import Glibc
#endif
import WeftCommandLine

/// `weft bench e2e`: a load generator (like Caliper or tape) against a local network.
public struct BenchE2ECommand: AsyncParsableCommand, Sendable {
    /// `weft bench` lists this command under its name, with the help text and an example.
    public static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Drive a local network with asset-transfer or smallbank transactions; report tx/s and latency.",
        discussion: """
        Starts a fresh network (3 orderers, 2 organizations × 1 peer, AND('Org1.peer','Org2.peer')) unless
        --dir names a running one, submits at --rate transactions per second (0: as fast as --in-flight
        allows), prints a progress line every second on stderr, and reports committed tx/s, the share
        invalid, latency from submit to commit (p50/p95/p99), each node's resident memory and CPU
        milliseconds per committed transaction, and the run's share of the signature bound.

        Each submit goes through the first peer's gateway, as `weft tx submit` does (gatewayEndorse,
        gatewaySubmit, commitStatus); --direct makes the client endorse at every organization and
        broadcast to the orderers itself, with one commit event stream per channel.

        --metrics off starts the nodes with WEFT_METRICS=off (no metrics recorded); --metrics compare runs
        --rounds pairs of fresh networks, metrics off and on (off first in odd rounds, on first in even
        ones), and reports the medians, their ratio and the CPU per transaction: what recording the
        metrics costs, measured in one run. With WEFT_OTLP_ENDPOINT set every submit is traced, by this
        process and the nodes it starts (docs/operations.md, "Traces"): what tracing costs.

        Example:
          swift build -c release && .build/release/weft bench e2e --workload smallbank --seconds 20
          .build/release/weft bench e2e --workload asset-transfer --rate 500 --seconds 20
          .build/release/weft bench e2e --metrics compare --rounds 3 --seconds 15
        """
    )

    @Option(help: "asset-transfer or smallbank.") var workload = "asset-transfer"
    @Option(help: "Offered transactions per second; 0 for saturation.") var rate = 0
    @Option(help: "Seconds of load.") var seconds = 20
    @Option(name: .customLong("in-flight"), help: "Most transactions in flight at once.") var inFlight = 256
    @Option(help: "A running network's folder (default: start a fresh one in a temporary folder).") var dir: String?
    @Option(help: "Smallbank accounts (and asset-transfer owners).") var accounts = 1000
    @Option(help: "on, off, or compare (alternate fresh networks without and with metrics).") var metrics = "on"
    @Option(help: "With --metrics compare: pairs of runs.") var rounds = 3
    @Option(help: "Write every acknowledged transaction to this file: one line 'txID blockNumber validationCode' each.")
    var acknowledged: String?
    @Option(help: "Channels (ch1…chN) the fresh network has and the load is spread over, each with its share of --in-flight and --rate.")
    var channels = 1
    @Flag(help: "Endorse at every organization and broadcast from the client itself (Gateway.submitDirect) instead of through one peer's gateway (as weft tx submit does, the default).")
    var direct = false
    /// The gateway path was opt-in before it became the default; still accepted, it changes nothing.
    @Flag(name: .customLong("through-peer"), help: .hidden) var throughPeerFlag = false
    /// Whether each submit goes through one peer's gateway.
    var throughPeer: Bool { !direct }
    @Flag(help: "Print one JSON document instead of text.") var json = false

    /// The command with its options at their defaults; ArgumentParser sets them from the command line.
    public init() {}

    /// Refuses option values the benchmark cannot run with (exit status 1).
    public func validate() throws {
        guard ["on", "off", "compare"].contains(metrics) else { throw ValidationError("--metrics is on, off or compare") }
        guard metrics == "on" || dir == nil else { throw ValidationError("--metrics \(metrics) starts its own networks; leave out --dir") }
        guard rounds >= 1 else { throw ValidationError("--rounds ≥ 1") }
        guard ["asset-transfer", "smallbank"].contains(workload) else { throw ValidationError("--workload is asset-transfer or smallbank") }
        guard (1...16).contains(channels), dir == nil || channels == 1 else { throw ValidationError("--channels 1…16, and only for a fresh network (no --dir)") }
        guard seconds >= 1, inFlight >= 1, rate >= 0, accounts >= 2 else { throw ValidationError("--seconds, --in-flight ≥ 1, --rate ≥ 0, --accounts ≥ 2") }
        guard !(direct && throughPeerFlag) else { throw ValidationError("--direct and --through-peer contradict each other; the gateway path is the default") }
    }

    /// Runs the benchmark and prints its report; progress goes to stderr.
    public func run() async throws {
        // With WEFT_OTLP_ENDPOINT set, every submit is traced (the nodes inherit the variable): what tracing costs.
        try await ProcessTracing.client { try await runMeasured() }
    }

    private func runMeasured() async throws {
        if metrics == "compare" { return try await compare() }
        let (report, usage, perChannel, bound) = try await measure(metrics: metrics)
        if json {
            try JSONOutput.print(E2EOutput(workload: workload, offeredRate: rate, metrics: metrics, submitPath: throughPeer ? "peer-gateway" : "client",
                                           report: report, nodes: usage,
                                           signatureBound: bound, shareOfSignatureBound: report.committedPerSecond / bound.transactionsPerSecond))
        } else {
            print(report.summary(workload: workload, rate: rate) + (throughPeer ? " (through a peer's gateway)" : " (direct: the client endorses and broadcasts)"))
            print(bound.summary(committedPerSecond: report.committedPerSecond))
            for (channel, part) in perChannel { print("  \(channel): " + part.summary(workload: workload, rate: rate / channels)) }
            for node in usage { print("  \(node.name): \(node.residentMegabytes) MB resident, \(TextFormat.format("%.2f", node.cpuMillisecondsPerTransaction)) CPU ms/tx") }
            let total = usage.reduce(0) { $0 + $1.cpuMillisecondsPerTransaction }
            print("  all processes: \(TextFormat.format("%.2f", total)) CPU ms/tx, of which signatures \(TextFormat.format("%.2f", bound.cpuMillisecondsPerTransaction))")
        }
    }

    /// Alternates fresh networks with metrics off and on — off first in odd rounds, on first in even
    /// ones, so neither always runs second — and reports the medians of each.
    private func compare() async throws {
        var runs: [(metrics: String, report: E2EReport, nodes: [ProcessUsage.PerTransaction])] = []
        for round in 1...rounds {
            for mode in round % 2 == 1 ? ["off", "on"] : ["on", "off"] {
                progress("round \(round)/\(rounds), metrics \(mode)")
                let (report, usage, _, _) = try await measure(metrics: mode)
                progress(report.summary(workload: workload, rate: rate))
                runs.append((mode, report, usage))
            }
        }
        // The nodes' CPU per transaction: metrics are recorded there, not in this process.
        func nodesCPU(_ usage: [ProcessUsage.PerTransaction]) -> Double {
            usage.filter { $0.name != ProcessUsage.clientName }.reduce(0) { $0 + $1.cpuMillisecondsPerTransaction }
        }
        func median(_ mode: String) -> Double {
            let values = runs.filter { $0.metrics == mode }.map(\.report.committedPerSecond).sorted()
            return values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
        }
        let comparison = MetricsComparison(
            rounds: rounds, off: runs.filter { $0.metrics == "off" }.map(\.report.committedPerSecond),
            on: runs.filter { $0.metrics == "on" }.map(\.report.committedPerSecond),
            medianOff: median("off"), medianOn: median("on"),
            cpuOff: runs.filter { $0.metrics == "off" }.map { nodesCPU($0.nodes) },
            cpuOn: runs.filter { $0.metrics == "on" }.map { nodesCPU($0.nodes) })
        if json {
            try JSONOutput.print(comparison)
        } else {
            print(comparison.summary)
        }
    }

    /// One run: a fresh network (unless --dir) with the nodes' metrics `metrics`, the workload spread
    /// over the channels, the usage, and the signature bound measured just before and just after the
    /// load. The total sums the channels' counts over the longest run; its percentiles are the worst
    /// channel's.
    private func measure(metrics: String) async throws -> (E2EReport, [ProcessUsage.PerTransaction], [(String, E2EReport)], SignatureBound) {
        let folder = dir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-e2e-\(UUID().uuidString)")
        let started = dir == nil
        let signals = started ? BenchNetwork.stopOnSignal(folder) : nil
        defer {
            signals?.release()
            if started { BenchNetwork.down(folder) }
        }
        if started {
            setenv(WeftMetrics.switchVariable, metrics, 1)   // inherited by the nodes `network up` starts
            let up = try await BenchNetwork.up(folder, channels: channels)
            guard up else { throw CLIFailure(.other, "could not start a network in \(folder.path); see its logs/") }
        }
        let profile = try ConnectionProfile.load(path: folder.appendingPathComponent("profile.yaml").path)
        let names = profile.channels ?? [profile.channel]
        var gateways: [(String, Gateway)] = []
        for name in names {
            var scoped = profile
            scoped.channel = name
            gateways.append((name, try Gateway(profile: scoped, identityFolder: profile.identity ?? "")))
        }
        let generator = E2EWorkload(name: workload, accounts: accounts)
        for (name, gateway) in gateways {
            progress("preparing \(workload) (\(accounts) accounts) on \(name)…")
            try await generator.prepare(gateway)
        }
        let nodes = (try? LocalNetworkState.load(from: folder).nodes) ?? []
        progress("measuring the signature bound (sign and verify, 1 s each)…")
        let boundBefore = try SignatureBound.measure(peers: profile.peers(of: names[0]), seconds: 1)
        let before = ProcessUsage.sample(nodes)
        let share = (inFlight: max(1, inFlight / gateways.count), rate: rate / gateways.count)
        let (seconds, acknowledgedLog) = (seconds, gateways.count == 1 ? acknowledged : nil)
        let perChannel = try await withThrowingTaskGroup(of: (String, E2EReport).self) { group in
            for (name, gateway) in gateways {
                group.addTask {
                    let report = try await E2ELoad(
                        gateway: gateway, workload: generator, rate: share.rate, seconds: seconds, inFlight: share.inFlight,
                        progress: { DescriptorOutput.standardError("\(name): " + $0 + "\n") },
                        acknowledgedLog: acknowledgedLog, throughPeer: throughPeer).run()
                    return (name, report)
                }
            }
            var reports: [(String, E2EReport)] = []
            for try await result in group { reports.append(result) }
            return reports.sorted { $0.0 < $1.0 }
        }
        let after = ProcessUsage.sample(nodes)
        let bound = boundBefore.averaged(with: try SignatureBound.measure(peers: profile.peers(of: names[0]), seconds: 1))
        for (name, gateway) in gateways {
            let reopenings = await gateway.commitStreamReopenings
            await gateway.close()
            if reopenings.count > 0 {
                progress("\(name): the commit-event stream ended \(reopenings.count) time(s) and was reopened; last: \(reopenings.lastReason ?? "unknown")")
            }
        }
        let total = perChannel.count == 1 ? perChannel[0].1 : E2EReport.combined(perChannel.map(\.1))
        return (total, ProcessUsage.perTransaction(before: before, after: after, committed: total.committed), perChannel.count == 1 ? [] : perChannel, bound)
    }

    private func progress(_ line: String) { DescriptorOutput.standardError(line + "\n") }
}
