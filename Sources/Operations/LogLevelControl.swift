import Logging
import NIOConcurrencyHelpers

/// The process's current ``LogSpec``, shared by every ``WeftLogHandler`` and changed at runtime through
/// `PUT /logspec`.
///
/// Thread-safe: one lock guards the spec and a per-label cache of resolved levels, so the level check
/// that runs before every log statement is one locked dictionary lookup. A change takes effect for
/// every logger at its next log statement.
public final class LogLevelControl: Sendable {
    private struct State {
        var spec: LogSpec
        var resolved: [String: Logger.Level] = [:]
    }

    private let state: NIOLockedValueBox<State>

    /// A control starting with `spec`.
    public init(spec: LogSpec = LogSpec(defaultLevel: .info)) {
        state = NIOLockedValueBox(State(spec: spec))
    }

    /// The spec in force.
    public var spec: LogSpec {
        state.withLockedValue { $0.spec }
    }

    /// Replaces the spec; every logger follows from its next statement on.
    public func setSpec(_ spec: LogSpec) {
        state.withLockedValue { state in
            state.spec = spec
            state.resolved.removeAll(keepingCapacity: true)
        }
    }

    /// Parses and applies a spec; on error the spec in force stays.
    public func setSpec(parsing text: String) throws(OperationsError) {
        setSpec(try LogSpec(parsing: text))
    }

    /// The level that applies to a logger label now.
    public func level(forLabel label: String) -> Logger.Level {
        state.withLockedValue { state in
            if let level = state.resolved[label] { return level }
            let level = state.spec.level(forLabel: label)
            state.resolved[label] = level
            return level
        }
    }
}
