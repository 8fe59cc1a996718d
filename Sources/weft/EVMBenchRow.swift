import Foundation

/// One line of the report.
struct EVMBenchRow {
    let name: String
    let gasUsed: Int
    var seconds: Double
    let calls: Int
    var revm: (gasUsed: Int, seconds: Double)?

    var perCall: Bool { calls > 1 }
    /// Gas per second, or calls per second for the per-call row.
    var rate: Double { perCall ? Double(calls) / seconds : Double(gasUsed) / seconds }
    var revmRate: Double? { revm.map { perCall ? Double(calls) / $0.seconds : Double($0.gasUsed) / $0.seconds } }

    static func table(_ rows: [EVMBenchRow]) -> String {
        var lines = ["workload                 weft                  revm (pyrevm)          weft/revm"]
        for row in rows {
            let unit = row.perCall ? "calls/s" : "Mgas/s"
            let scale = row.perCall ? 1.0 : 1e6
            let weft = String(format: "%10.1f %@", row.rate / scale, unit)
            let revm = row.revmRate.map { String(format: "%10.1f %@", $0 / scale, unit) } ?? "         —"
            let ratio = row.revmRate.map { String(format: "%.2f", row.rate / $0) } ?? "—"
            lines.append(row.name.padding(toLength: 25, withPad: " ", startingAt: 0)
                + weft.padding(toLength: 23, withPad: " ", startingAt: 0)
                + revm.padding(toLength: 23, withPad: " ", startingAt: 0) + ratio)
        }
        return lines.joined(separator: "\n")
    }

    /// The row of ERC-20 transfer calls through the `evm` chaincode and the simulator (no revm counterpart).
    static let simulatorName = "ERC-20 via simulator"

    static func json(_ rows: [EVMBenchRow], simulatorCallsPerSecond: Double? = nil) -> String {
        let objects: [[String: Any]] = rows.map { row in
            var object: [String: Any] = ["workload": row.name, "gasUsed": row.gasUsed, "seconds": row.seconds,
                                         row.perCall ? "callsPerSecond" : "gasPerSecond": row.rate]
            if let revm = row.revm {
                object["revm"] = ["gasUsed": revm.gasUsed, "seconds": revm.seconds,
                                  row.perCall ? "callsPerSecond" : "gasPerSecond": row.revmRate ?? 0]
                object["ratio"] = row.rate / (row.revmRate ?? 1)
            }
            return object
        }
        var document: [String: Any] = ["evm": objects]
        if let rate = simulatorCallsPerSecond { document["simulator"] = ["workload": simulatorName, "callsPerSecond": rate] }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
