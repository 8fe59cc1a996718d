import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftClient
import WeftCore
import WeftNode

/// `weft bench e2e`: a load generator (like Caliper or tape) against a local network.
struct BenchE2ECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Drive a local network with asset-transfer or smallbank transactions; report tx/s and latency.",
        discussion: """
        Starts a fresh network (3 orderers, 2 organizations × 1 peer, AND('Org1.peer','Org2.peer')) unless
        --dir names a running one, submits at --rate transactions per second (0: as fast as --in-flight
        allows), prints a progress line every second on stderr, and reports committed tx/s, the share
        invalid, latency from submit to commit event (p50/p95/p99), and each node's resident memory and CPU
        milliseconds per committed transaction.

        Example:
          swift build -c release && .build/release/weft bench e2e --workload smallbank --seconds 20
          .build/release/weft bench e2e --workload asset-transfer --rate 500 --seconds 20
        """
    )

    @Option(help: "asset-transfer or smallbank.") var workload = "asset-transfer"
    @Option(help: "Offered transactions per second; 0 for saturation.") var rate = 0
    @Option(help: "Seconds of load.") var seconds = 20
    @Option(name: .customLong("in-flight"), help: "Most transactions in flight at once.") var inFlight = 256
    @Option(help: "A running network's folder (default: start a fresh one in a temporary folder).") var dir: String?
    @Option(help: "Smallbank accounts (and asset-transfer owners).") var accounts = 1000
    @Option(help: "Write every acknowledged transaction to this file: one line 'txID blockNumber validationCode' each.")
    var acknowledged: String?
    @Flag(help: "Print one JSON document instead of text.") var json = false

    func validate() throws {
        guard ["asset-transfer", "smallbank"].contains(workload) else { throw ValidationError("--workload is asset-transfer or smallbank") }
        guard seconds >= 1, inFlight >= 1, rate >= 0, accounts >= 2 else { throw ValidationError("--seconds, --in-flight ≥ 1, --rate ≥ 0, --accounts ≥ 2") }
    }

    func run() async throws {
        let folder = dir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-e2e-\(UUID().uuidString)")
        let started = dir == nil
        if started {
            let up = try await BenchNetwork.up(folder)
            guard up else { throw CLIFailure(.other, "could not start a network in \(folder.path); see its logs/") }
        }
        defer {
            if started { BenchNetwork.down(folder) }
        }
        let profile = try ConnectionProfile.load(path: folder.appendingPathComponent("profile.yaml").path)
        let gateway = try Gateway(profile: profile, identityFolder: profile.identity ?? "")
        let generator = E2EWorkload(name: workload, accounts: accounts)
        progress("preparing \(workload) (\(accounts) accounts)…")
        try await generator.prepare(gateway)
        let nodes = (try? LocalNetworkState.load(from: folder).nodes) ?? []
        let before = ProcessUsage.sample(nodes)
        let report = try await E2ELoad(gateway: gateway, workload: generator, rate: rate, seconds: seconds, inFlight: inFlight,
                                       progress: { DescriptorOutput.standardError($0 + "\n") }, acknowledgedLog: acknowledged).run()
        let after = ProcessUsage.sample(nodes)
        let reopenings = await gateway.commitStreamReopenings
        await gateway.close()
        if reopenings.count > 0 {
            progress("the commit-event stream ended \(reopenings.count) time(s) and was reopened; last: \(reopenings.lastReason ?? "unknown")")
        }
        let usage = ProcessUsage.perTransaction(before: before, after: after, committed: report.committed)
        if json {
            try JSONOutput.print(E2EOutput(workload: workload, offeredRate: rate, report: report, nodes: usage))
        } else {
            print(report.summary(workload: workload, rate: rate))
            for node in usage { print("  \(node.name): \(node.residentMegabytes) MB resident, \(TextFormat.format("%.2f", node.cpuMillisecondsPerTransaction)) CPU ms/tx") }
        }
    }

    private func progress(_ line: String) { DescriptorOutput.standardError(line + "\n") }
}
