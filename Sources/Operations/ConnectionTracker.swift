import NIOConcurrencyHelpers
import NIOCore

/// The open connections of an ``OperationsServer`` and whether each is answering a request, so that
/// shutdown closes idle keep-alive connections at once and lets busy ones finish their response.
final class ConnectionTracker: Sendable {
    private struct State {
        var shuttingDown = false
        var connections: [ObjectIdentifier: (channel: any Channel, busy: Bool)] = [:]
    }

    private let state = NIOLockedValueBox(State())

    /// Adds a new connection; false when the server is shutting down (the caller closes it).
    func add(_ channel: any Channel) -> Bool {
        state.withLockedValue { state in
            guard !state.shuttingDown else { return false }
            state.connections[ObjectIdentifier(channel)] = (channel, false)
            return true
        }
    }

    /// Marks a connection busy (a request arrived) or idle (its response is written). Returns whether the
    /// server is shutting down, in which case the response closes the connection.
    func setBusy(_ channel: any Channel, _ busy: Bool) -> Bool {
        state.withLockedValue { state in
            state.connections[ObjectIdentifier(channel)]?.busy = busy
            return state.shuttingDown
        }
    }

    /// Forgets a connection that ended.
    func remove(_ channel: any Channel) {
        _ = state.withLockedValue { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Starts shutting down: no new connections; returns the idle ones, for the caller to close.
    func beginShutdown() -> [any Channel] {
        state.withLockedValue { state in
            state.shuttingDown = true
            return state.connections.values.filter { !$0.busy }.map(\.channel)
        }
    }

    /// Every open connection (for a shutdown whose grace period ran out).
    var all: [any Channel] {
        state.withLockedValue { $0.connections.values.map(\.channel) }
    }
}
