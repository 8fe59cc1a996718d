#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeftNode

/// Resident memory and CPU time of node processes and of the load generator itself, from /proc.
enum ProcessUsage {
    struct Sample {
        var name: String
        var cpuTicks: Int
        var residentKilobytes: Int
    }

    struct PerTransaction: Encodable {
        var name: String
        var residentMegabytes: Int
        var cpuMillisecondsPerTransaction: Double
    }

    /// The nodes' usage, and this process's as `client`: the load generator's signing, endorsing
    /// and waiting for commits are part of each transaction's cost too.
    static func sample(_ nodes: [LocalNetworkState.Node]) -> [Sample] {
        let processes = nodes.compactMap { node in node.pid.map { ("\($0)", node.name) } } + [("self", clientName)]
        return processes.compactMap { pid, name in sample(pid: pid, name: name) }
    }

    /// The name this process's usage is reported under.
    static let clientName = "client (this process)"

    private static func sample(pid: String, name: String) -> Sample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based), so indices 11 and 12 here.
        let ticks = (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return Sample(name: name, cpuTicks: ticks, residentKilobytes: rss)
    }

    static func perTransaction(before: [Sample], after: [Sample], committed: Int) -> [PerTransaction] {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return after.map { end in
            let begin = before.first { $0.name == end.name }?.cpuTicks ?? end.cpuTicks
            let milliseconds = Double(end.cpuTicks - begin) / ticksPerSecond * 1000
            return PerTransaction(name: end.name, residentMegabytes: end.residentKilobytes / 1024,
                                  cpuMillisecondsPerTransaction: milliseconds / Double(max(committed, 1)))
        }
    }
}
