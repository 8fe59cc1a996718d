import NIOConcurrencyHelpers

/// Caps the open connections of an ``OperationsServer``: a connection over the cap is closed as soon
/// as it is accepted. Refusals come in bursts (a client or scanner opening many sockets), so only the
/// first refusal of a burst is reported; the burst ends when a connection is admitted again.
final class ConnectionAdmission: Sendable {
    /// The decision on one accepted connection.
    enum Decision: Equatable {
        /// Serve it; call ``ConnectionAdmission/release()`` when it closes.
        case admitted
        /// Close it at once. `firstOfBurst` is true for the first refusal since the last admission.
        case refused(firstOfBurst: Bool)
    }

    private struct State {
        var open = 0
        var refusing = false
        var refusedInBurst = 0
    }

    /// The most connections open at once.
    let limit: Int
    private let state = NIOLockedValueBox(State())

    /// Admission for at most `limit` open connections.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Decides on a connection just accepted. Returns the decision and, when this admission ends a
    /// burst of refusals, how many connections that burst refused.
    func admit() -> (decision: Decision, endedBurstOf: Int?) {
        state.withLockedValue { state in
            guard state.open < limit else {
                let first = !state.refusing
                state.refusing = true
                state.refusedInBurst += 1
                return (.refused(firstOfBurst: first), nil)
            }
            state.open += 1
            defer { state.refusing = false; state.refusedInBurst = 0 }
            return (.admitted, state.refusing ? state.refusedInBurst : nil)
        }
    }

    /// An admitted connection closed.
    func release() {
        state.withLockedValue { $0.open = max(0, $0.open - 1) }
    }

    /// The connections admitted and still open.
    var open: Int { state.withLockedValue(\.open) }
}
