import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import WeftClient
import WeftCommandLine

/// `weft network top`: a live view of every node, built from the nodes' own `/metrics` endpoints.
struct NetworkTopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A live view of every node from its /metrics: height, tx/s, p99, leader and term, CPU, memory, refusals.",
        discussion: """
        Scrapes each node's operations endpoint (HTTPS, trusting the network's TLS CAs, with the caller's
        TLS certificate) every --interval seconds and redraws one line per node. Rates and the p99 are
        over the last interval: a peer's tx/s counts the transactions it validated and its p99 is block
        validation + state commit; an orderer's tx/s counts the broadcasts it accepted and its p99 is
        broadcast → block on the leader. REFUSED counts, since the node started, RPC calls answered with
        an error (calls their caller cancelled aside), failed TLS handshakes, proposals not endorsed and
        broadcasts not accepted.

        With --dir the endpoints come from the node configurations of a local network; with --profile
        from the `operations:` address of each peer and orderer in the profile (`network init` and
        `network up` write them; add them by hand for nodes set up otherwise). --once scrapes twice, one interval apart, prints once and exits; with --json one JSON
        document {"nodes": [{"name", "role", "height", "txPerSecond", "p99Milliseconds", "leader",
        "term", "cpuPercent", "residentMegabytes", "refused", "error"}]}, and --series adds every sample.
        Exit status 3 with --once when a node cannot be reached.

        Examples:
          weft network top --dir ./weft-net
          weft network top --dir ./weft-net --once --json
          weft network top --profile prod.yaml --identity ./admin
        """
    )

    @Option(help: "A local network made by `weft network up` (default ./weft-net).") var dir: String?
    @Option(help: "A connection profile whose peers and orderers name their `operations:` address (or WEFT_PROFILE).") var profile: String?
    @Option(help: "An identity folder whose tls/ certificate is presented (or WEFT_IDENTITY).") var identity: String?
    @Option(help: "Seconds between refreshes.") var interval: Double = 1
    @Flag(help: "Print one view and exit.") var once = false
    @Flag(help: "Print one JSON document (with --once).") var json = false
    @Flag(help: "With --json: include every sample of each node's last scrape.") var series = false

    func validate() throws {
        guard interval >= 0.2, interval <= 60 else { throw ValidationError("--interval is between 0.2 and 60 seconds") }
        guard !json || once else { throw ValidationError("--json needs --once (one document, for scripts)") }
    }

    func run() async throws {
        let sources = try targets()
        let step = TimeAmount.milliseconds(Int64(interval * 1000))
        var earlier = await sources.scrape()
        var earlierTime = ContinuousClock.now
        while true {
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            let later = await sources.scrape(timeout: step + .seconds(1))
            let now = ContinuousClock.now
            let elapsed = now - earlierTime
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rows = sources.targets.map { target -> NodeTopRow in
                switch later[target.name] {
                case .success(let text):
                    var row = NodeTopRow(name: target.name, role: target.role, earlier: try? earlier[target.name]?.get(),
                                         later: text, seconds: seconds)
                    if series { row.series = text.samples }
                    return row
                case .failure(let failure):
                    return NodeTopRow(name: target.name, role: target.role, error: failure.message)
                case nil:
                    return NodeTopRow(name: target.name, role: target.role, error: "not scraped")
                }
            }
            if once {
                if json {
                    try JSONOutput.print(["nodes": rows])
                } else {
                    print(([NodeTopRow.header] + rows.map(\.line)).joined(separator: "\n"))
                }
                if rows.contains(where: { $0.error != nil }) { throw ExitCode(ExitStatus.unreachable.rawValue) }
                return
            }
            let day = Int(Date().timeIntervalSince1970) % 86_400
            let clock = TextFormat.format("%02d:%02d:%02d UTC", day / 3600, day / 60 % 60, day % 60)
            // Home, clear screen, then the view.
            print("\u{1B}[H\u{1B}[2J" + "weft network top — \(rows.count) nodes, \(clock), every \(interval) s (Ctrl-C quits)\n\n"
                  + ([NodeTopRow.header] + rows.map(\.line)).joined(separator: "\n"))
            earlier = later
            earlierTime = now
        }
    }

    private func targets() throws -> MetricsTargets {
        let environment = ProcessInfo.processInfo.environment
        if let path = profile ?? (dir == nil ? environment["WEFT_PROFILE"] : nil) {
            let loaded: ConnectionProfile
            do {
                loaded = try ConnectionProfile.load(path: path)
            } catch {
                throw CLIFailure(.usage, "\(error)")
            }
            return try MetricsTargets.remote(profile: loaded, identity: identity ?? environment["WEFT_IDENTITY"] ?? loaded.identity)
        }
        return try MetricsTargets.local(dir: URL(fileURLWithPath: dir ?? "./weft-net").standardizedFileURL)
    }
}
