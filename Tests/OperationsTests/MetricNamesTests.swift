import Foundation
import Operations
import Testing

/// The metric names of `WeftMetrics.Name.all` are the ones docs/operations.md lists, and the Grafana
/// dashboard queries no other.
@Suite struct MetricNamesTests {
    /// The repository's root, from this file's path (Tests/OperationsTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Weft and process metric names in `text`.
    static func metricNames(in text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b(?:weft|process)_[a-z0-9_]+"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    /// `name` without a histogram's `_bucket`, `_sum` or `_count` suffix.
    static func family(_ name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if WeftMetrics.Name.histograms.contains(base) { return base }
        }
        return name
    }

    @Test func namesFollowPrometheusConventions() {
        #expect(Set(WeftMetrics.Name.all).count == WeftMetrics.Name.all.count)
        for name in WeftMetrics.Name.all {
            #expect(name.hasPrefix("weft_") || name.hasPrefix("process_"))
            #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name)")
        }
        #expect(WeftMetrics.Name.histograms.isSubset(of: Set(WeftMetrics.Name.all)))
    }

    @Test func operationsDocumentListsEveryMetric() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let section = try #require(text.range(of: "## Metrics\n")).upperBound
        let end = text.range(of: "\n## ", range: section..<text.endIndex)?.lowerBound ?? text.endIndex
        // The first column of the metric tables: rows that start with | `name` |.
        let documented = Set(text[section..<end].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            let name = line.dropFirst(3).prefix { $0 != "`" }
            return name.hasPrefix("weft_") || name.hasPrefix("process_") ? String(name) : nil
        })
        #expect(documented == Set(WeftMetrics.Name.all),
                "documented but not registered: \(documented.subtracting(WeftMetrics.Name.all).sorted()); registered but not documented: \(Set(WeftMetrics.Name.all).subtracting(documented).sorted())")
    }

    @Test func dashboardIsJSONAndQueriesOnlyMetricsThatExist() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Network/grafana/weft.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var expressions: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    if key == "expr" || key == "definition", let text = child as? String { expressions.append(text) }
                    collect(child)
                }
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(dashboard)
        #expect(expressions.count >= 20)
        var used: Set<String> = []
        for expression in expressions {
            for name in Self.metricNames(in: expression) {
                let family = Self.family(name)
                #expect(WeftMetrics.Name.all.contains(family), "the dashboard queries \(name), which no node exposes: \(expression)")
                // A histogram is queried through its series, never by its bare name.
                #expect(!WeftMetrics.Name.histograms.contains(name), "\(name) is a histogram; query \(name)_bucket, _sum or _count")
                used.insert(family)
            }
        }
        // The issue's panels: throughput, p50/p99 per phase, leader and term, validation codes, memory.
        for required in [WeftMetrics.Name.transactionsValidated, WeftMetrics.Name.endorsementDuration, WeftMetrics.Name.broadcastToBlockDuration,
                         WeftMetrics.Name.stateCommitDuration, WeftMetrics.Name.raftIsLeader, WeftMetrics.Name.raftTerm,
                         WeftMetrics.Name.processResidentMemory] {
            #expect(used.contains(required), "the dashboard has no panel on \(required)")
        }
    }

    @Test func processMetricsAreReadFromProc() throws {
        let sample = ProcessMetrics.sample()
        #expect(sample.cpuSeconds > 0)
        #if os(Linux)
        #expect(try #require(sample.residentBytes) > 1_000_000)
        #expect(try #require(sample.openFileDescriptors) >= 3)
        let started = try #require(sample.startTimeSeconds)
        #expect(started <= Date().timeIntervalSince1970 && started > Date().timeIntervalSince1970 - 86_400)
        #endif
        let lines = Set(sample.prometheusText.split(separator: "\n").map(String.init))
        #expect(lines.contains("# TYPE process_cpu_seconds_total counter"))
    }
}
