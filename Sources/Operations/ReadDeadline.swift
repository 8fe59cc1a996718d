import NIOCore

/// When an operations connection must have sent its next request, as a state machine: each event
/// returns the timer the channel handler arms (or cancels); the handler does the I/O.
///
/// - From accept, the first request (TLS handshake, head and body) must be read whole within
///   `requestTimeout`: an absolute deadline that bytes arriving do not push back, so a client sending
///   one byte at a time cannot hold the socket.
/// - While a request is answered no deadline runs.
/// - After a response, the connection may stay idle for `idleTimeout` (keep-alive). The first byte of
///   the next request starts a fresh `requestTimeout` for reading it whole.
struct ReadDeadline {
    /// What the handler does with its timer.
    enum Action: Equatable {
        /// Replace any timer by one firing in `after`; when it fires, call ``timerFired()``.
        case arm(after: TimeAmount)
        /// Cancel the timer.
        case disarm
        /// Leave the timer as it is.
        case none
    }

    /// Why a deadline closed the connection.
    enum Expiry: Equatable, CustomStringConvertible {
        /// A request was not read whole in time.
        case request(TimeAmount)
        /// A kept-alive connection sent nothing for the idle timeout.
        case idle(TimeAmount)

        var description: String {
            switch self {
            case .request(let limit): return "the request was not read whole within \(limit.nanoseconds / 1_000_000) ms"
            case .idle(let limit): return "idle for \(limit.nanoseconds / 1_000_000) ms"
            }
        }
    }

    private enum State {
        /// A request is being read (or the first one is awaited); the request deadline runs.
        case reading
        /// A complete request is being answered; `bytesArrived` when the next one began meanwhile.
        case answering(bytesArrived: Bool)
        /// Between requests of a kept-alive connection; the idle deadline runs.
        case idle
    }

    let requestTimeout: TimeAmount
    let idleTimeout: TimeAmount
    private var state = State.reading

    init(requestTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
    }

    /// The connection was accepted: the first request's deadline starts.
    mutating func accepted() -> Action {
        state = .reading
        return .arm(after: requestTimeout)
    }

    /// Bytes of a request arrived.
    mutating func bytesRead() -> Action {
        switch state {
        case .idle:
            state = .reading
            return .arm(after: requestTimeout)
        case .answering:
            state = .answering(bytesArrived: true)
            return .none
        case .reading:
            return .none
        }
    }

    /// A request was read whole (its end arrived).
    mutating func requestRead() -> Action {
        state = .answering(bytesArrived: false)
        return .disarm
    }

    /// A response was written whole; the connection stays open for the next request.
    mutating func responseWritten() -> Action {
        switch state {
        case .answering(bytesArrived: true):
            state = .reading
            return .arm(after: requestTimeout)
        case .answering(bytesArrived: false), .idle:
            state = .idle
            return .arm(after: idleTimeout)
        case .reading:
            return .none  // an early answer (400, 413); the connection is closing
        }
    }

    /// The armed timer fired: the connection is closed for this reason.
    func timerFired() -> Expiry {
        if case .idle = state { return .idle(idleTimeout) }
        return .request(requestTimeout)
    }
}
