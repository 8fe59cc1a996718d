#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCommandLine

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
            let weft = TextFormat.format("%10.1f %@", row.rate / scale, unit)
            let revm = row.revmRate.map { TextFormat.format("%10.1f %@", $0 / scale, unit) } ?? "         —"
            let ratio = row.revmRate.map { TextFormat.format("%.2f", row.rate / $0) } ?? "—"
            lines.append(row.name.padded(toLength: 25)
                + weft.padded(toLength: 23)
                + revm.padded(toLength: 23) + ratio)
        }
        return lines.joined(separator: "\n")
    }

    /// The row of ERC-20 transfer calls through the `evm` chaincode and the simulator (no revm counterpart).
    static let simulatorName = "ERC-20 via simulator"

    static func json(_ rows: [EVMBenchRow], simulatorCallsPerSecond: Double? = nil) -> String {
        let objects: [JSONValue] = rows.map { row in
            var object: [String: JSONValue] = ["workload": .string(row.name), "gasUsed": .integer(row.gasUsed),
                                               "seconds": .number(row.seconds), row.perCall ? "callsPerSecond" : "gasPerSecond": .number(row.rate)]
            if let revm = row.revm {
                object["revm"] = .object(["gasUsed": .integer(revm.gasUsed), "seconds": .number(revm.seconds),
                                          row.perCall ? "callsPerSecond" : "gasPerSecond": .number(row.revmRate ?? 0)])
                object["ratio"] = .number(row.rate / (row.revmRate ?? 1))
            }
            return .object(object)
        }
        var document: [String: JSONValue] = ["evm": .array(objects)]
        if let rate = simulatorCallsPerSecond {
            document["simulator"] = .object(["workload": .string(simulatorName), "callsPerSecond": .number(rate)])
        }
        return JSONValue.object(document).text
    }
}
