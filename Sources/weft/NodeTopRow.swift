import Operations
import WeftCommandLine

/// One node's line of `weft network top`, computed from two scrapes of its `/metrics` `seconds` apart.
struct NodeTopRow: Encodable, Sendable {
    var name: String
    var role: String
    var height: UInt64?
    /// Peer: transactions validated per second; orderer: broadcasts it accepted per second.
    var txPerSecond: Double?
    /// Peer: p99 of the block commit (validation + state commit, from the stage histograms); orderer: p99 of
    /// broadcast → block on the leader. Over the interval, in milliseconds.
    var p99Milliseconds: Double?
    /// Orderer: whether it leads, and its Raft term.
    var leader: Bool?
    var term: UInt64?
    var cpuPercent: Double?
    var residentMegabytes: Double?
    /// Requests refused since the node started: RPC calls answered with an error (not counting calls
    /// the caller cancelled), failed handshakes, proposals not endorsed, broadcasts not accepted.
    var refused: Int?
    var error: String?
    /// With `--series`: every sample of the latest scrape.
    var series: [PrometheusText.Sample]?

    typealias Name = WeftMetrics.Name

    init(name: String, role: String, error: String) {
        self.name = name
        self.role = role
        self.error = error
    }

    init(name: String, role: String, earlier: PrometheusText?, later: PrometheusText, seconds: Double) {
        self.name = name
        self.role = role
        height = later.sum(Name.blockHeight).map { UInt64(max($0, 0)) }
        func rate(_ value: (PrometheusText) -> Double?) -> Double? {
            guard let earlier, seconds > 0, let now = value(later), let before = value(earlier) else { return nil }
            return max(0, now - before) / seconds
        }
        if role == "peer" {
            txPerSecond = rate { $0.sum(Name.transactionsValidated) }
            p99Milliseconds = PrometheusText.quantile(0.99, of: Name.stateCommitDuration, from: earlier, to: later).map { state in
                state + (PrometheusText.quantile(0.99, of: Name.blockValidationDuration, from: earlier, to: later) ?? 0)
            }.map { $0 * 1000 }
        } else {
            txPerSecond = rate { $0.sum(Name.broadcasts, matching: ["status": "SUCCESS"]) ?? 0 }
            p99Milliseconds = PrometheusText.quantile(0.99, of: Name.broadcastToBlockDuration, from: earlier, to: later).map { $0 * 1000 }
            leader = later.sum(Name.raftIsLeader).map { $0 > 0 }
            term = later.sum(Name.raftTerm).map { UInt64(max($0, 0)) }
        }
        cpuPercent = rate { $0.sum(Name.processCPUSeconds) }.map { $0 * 100 }
        residentMegabytes = later.sum(Name.processResidentMemory).map { $0 / 1_048_576 }
        let rpcErrors = later.series(Name.rpcRequests).filter { !["ok", "cancelled"].contains($0.labels["status"]) }
            .reduce(0) { $0 + $1.value }
        let broadcastsRefused = later.series(Name.broadcasts).filter { $0.labels["status"] != "SUCCESS" }.reduce(0) { $0 + $1.value }
        refused = Int(rpcErrors + broadcastsRefused + (later.sum(Name.rpcHandshakeFailures) ?? 0) + (later.sum(Name.proposalsRefused) ?? 0))
    }

    /// The header of the text view.
    static let header = pad(["NODE", "ROLE", "HEIGHT", "TX/S", "P99 MS", "LEADER", "TERM", "CPU %", "MEM MB", "REFUSED"])

    /// This row in the text view.
    var line: String {
        if let error { return Self.pad([name, role]) + "  unreachable: \(error)" }
        func number(_ value: Double?, _ format: String) -> String { value.map { TextFormat.format(format, $0) } ?? "-" }
        return Self.pad([
            name, role, height.map(String.init) ?? "-", number(txPerSecond, "%.0f"), number(p99Milliseconds, "%.1f"),
            leader.map { $0 ? "yes" : "no" } ?? "-", term.map(String.init) ?? "-", number(cpuPercent, "%.0f"),
            number(residentMegabytes, "%.0f"), refused.map(String.init) ?? "-",
        ])
    }

    private static let widths = [16, 8, 7, 7, 8, 7, 5, 6, 7, 8]

    private static func pad(_ columns: [String]) -> String {
        zip(columns, widths).enumerated().map { index, pair in
            let (text, width) = pair
            let room = String(repeating: " ", count: max(0, width - text.count))
            return index < 2 ? text + room : room + text
        }.joined(separator: " ")
    }
}
