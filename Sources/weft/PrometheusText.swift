/// The samples of a Prometheus text-format scrape (version 0.0.4): one per series line, comments
/// skipped. Enough of the format for what Weft's nodes emit: `name{label="value",…} number`.
struct PrometheusText: Sendable {
    struct Sample: Sendable, Equatable, Encodable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample]

    init(samples: [Sample]) { self.samples = samples }

    /// Parses `text`; lines that do not parse are skipped.
    init(parsing text: String) {
        samples = text.split(separator: "\n").compactMap { Self.parseLine(Substring($0)) }
    }

    static func parseLine(_ line: Substring) -> Sample? {
        guard let first = line.first, first != "#" else { return nil }
        var labels: [String: String] = [:]
        let name: Substring
        let rest: Substring
        if let brace = line.firstIndex(of: "{") {
            name = line[..<brace]
            guard let close = line.lastIndex(of: "}") else { return nil }
            labels = parseLabels(line[line.index(after: brace)..<close])
            rest = line[line.index(after: close)...]
        } else {
            guard let space = line.firstIndex(of: " ") else { return nil }
            name = line[..<space]
            rest = line[space...]
        }
        let fields = rest.split(separator: " ")
        guard let valueText = fields.first, let value = parseValue(valueText) else { return nil }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private static func parseValue(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    /// `a="x",b="y\"z"` → ["a": "x", "b": "y\"z"] (escapes `\\`, `\"`, `\n`).
    static func parseLabels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        var index = text.startIndex
        while index < text.endIndex {
            guard let equals = text[index...].firstIndex(of: "=") else { break }
            let key = text[index..<equals].trimmingPrefix(",").trimmingPrefix(" ")
            var cursor = text.index(after: equals)
            guard cursor < text.endIndex, text[cursor] == "\"" else { break }
            cursor = text.index(after: cursor)
            var value = ""
            while cursor < text.endIndex, text[cursor] != "\"" {
                if text[cursor] == "\\", text.index(after: cursor) < text.endIndex {
                    cursor = text.index(after: cursor)
                    value.append(text[cursor] == "n" ? "\n" : text[cursor])
                } else {
                    value.append(text[cursor])
                }
                cursor = text.index(after: cursor)
            }
            labels[String(key)] = value
            index = cursor < text.endIndex ? text.index(after: cursor) : cursor
        }
        return labels
    }

    /// The samples named `name` whose labels include `matching`.
    func series(_ name: String, matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The sum of the samples named `name` (matching `labels`), or nil when there is none.
    func sum(_ name: String, matching: [String: String] = [:]) -> Double? {
        let found = series(name, matching: matching)
        return found.isEmpty ? nil : found.reduce(0) { $0 + $1.value }
    }

    /// The cumulative bucket counts of histogram `name` (summed over its other labels), by upper bound.
    func buckets(_ name: String) -> [(bound: Double, count: Double)] {
        var byBound: [Double: Double] = [:]
        for sample in series(name + "_bucket") {
            guard let le = sample.labels["le"], let bound = le == "+Inf" ? Double.infinity : Double(le) else { continue }
            byBound[bound, default: 0] += sample.value
        }
        return byBound.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The `q` quantile of the observations a histogram gained between `earlier` and `later` (as
    /// Prometheus' `histogram_quantile` over a rate: linear within the bucket), or nil when none.
    static func quantile(_ q: Double, of name: String, from earlier: PrometheusText?, to later: PrometheusText) -> Double? {
        let now = later.buckets(name)
        let before = Dictionary(earlier?.buckets(name).map { ($0.bound, $0.count) } ?? [], uniquingKeysWith: { first, _ in first })
        let counts = now.map { (bound: $0.bound, count: $0.count - (before[$0.bound] ?? 0)) }
        guard let total = counts.last?.count, total > 0 else { return nil }
        let rank = q * total
        var lowerBound = 0.0
        var lowerCount = 0.0
        for bucket in counts {
            if bucket.count >= rank {
                guard bucket.bound.isFinite else { return lowerBound }
                let inBucket = bucket.count - lowerCount
                guard inBucket > 0 else { return bucket.bound }
                return lowerBound + (bucket.bound - lowerBound) * (rank - lowerCount) / inBucket
            }
            lowerBound = bucket.bound
            lowerCount = bucket.count
        }
        return lowerBound
    }
}
