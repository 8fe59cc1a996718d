import Logging

/// Which log level applies to which logger: a default level plus per-logger overrides, written like
/// Fabric's log spec.
///
/// Grammar: terms separated by `:`; a term is either a bare level (the default) or
/// `logger[,logger…]=level`. A logger name matches a logger label exactly or as a dot-separated prefix
/// (`weft.raft` covers `weft.raft.storage`); the longest matching name wins. Levels are swift-log's
/// (`trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`), case-insensitive, with `warn`
/// accepted for `warning`.
///
/// ```
/// info                         everything at info
/// weft.raft=debug:info         Raft loggers at debug, the rest at info
/// weft.raft,weft.ledger=trace:warning
/// ```
public struct LogSpec: Sendable, Equatable, CustomStringConvertible {
    /// The level of loggers that no override names.
    public var defaultLevel: Logger.Level
    /// Logger name (label or label prefix) → level.
    public var overrides: [String: Logger.Level]

    /// A spec with one level for every logger and optional overrides.
    public init(defaultLevel: Logger.Level, overrides: [String: Logger.Level] = [:]) {
        self.defaultLevel = defaultLevel
        self.overrides = overrides
    }

    /// Parses a spec; throws ``OperationsError/invalidLogSpec(_:)`` naming the offending term.
    public init(parsing text: String) throws(OperationsError) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .invalidLogSpec("the spec is empty; give a level such as 'info'") }
        var defaultLevel: Logger.Level?
        var overrides: [String: Logger.Level] = [:]
        for rawTerm in trimmed.split(separator: ":", omittingEmptySubsequences: false) {
            let term = String(rawTerm).trimmingWhitespace()
            guard !term.isEmpty else { throw .invalidLogSpec("empty term in '\(trimmed)'") }
            let parts = term.split(separator: "=", omittingEmptySubsequences: false)
            switch parts.count {
            case 1:
                guard defaultLevel == nil else {
                    throw .invalidLogSpec("'\(trimmed)' sets the default level twice")
                }
                defaultLevel = try Self.level(named: term)
            case 2:
                let level = try Self.level(named: String(parts[1]))
                for rawName in parts[0].split(separator: ",", omittingEmptySubsequences: false) {
                    let name = String(rawName).trimmingWhitespace()
                    guard Self.isValidLoggerName(name) else {
                        throw .invalidLogSpec("'\(name)' in '\(term)' is not a logger name (letters, digits, '.', '-', '_')")
                    }
                    overrides[name] = level
                }
            default:
                throw .invalidLogSpec("'\(term)' has more than one '='")
            }
        }
        self.init(defaultLevel: defaultLevel ?? .info, overrides: overrides)
    }

    /// The level for a logger label: the longest override that names the label or a dot-prefix of it,
    /// else the default.
    public func level(forLabel label: String) -> Logger.Level {
        if let exact = overrides[label] { return exact }
        var best: (length: Int, level: Logger.Level) = (-1, defaultLevel)
        for (name, level) in overrides where name.count > best.length && label.hasPrefix(name + ".") {
            best = (name.count, level)
        }
        return best.level
    }

    /// The canonical text: overrides sorted by level then name, grouped per level, default last.
    public var description: String {
        let grouped = Dictionary(grouping: overrides, by: \.value)
        let terms = grouped.sorted { $0.key < $1.key }.map { level, pairs in
            "\(pairs.map(\.key).sorted().joined(separator: ","))=\(level.rawValue)"
        }
        return (terms + [defaultLevel.rawValue]).joined(separator: ":")
    }

    /// The level a name stands for, case-insensitive; `warn` means `warning`.
    public static func level(named name: String) throws(OperationsError) -> Logger.Level {
        let lowered = name.trimmingWhitespace().lowercased()
        if lowered == "warn" { return .warning }
        guard let level = Logger.Level(rawValue: lowered) else {
            let known = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidLogSpec("unknown level '\(name)'; use one of \(known)")
        }
        return level
    }

    private static func isValidLoggerName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
