import NIOConcurrencyHelpers
import NIOCore
import Wire

/// The calls a client has in flight on one connection, by request id. Callers register from any
/// task; the connection handler completes them from the event loop. Continuations are always resumed
/// outside the lock.
final class CallTable: Sendable {
    enum Pending {
        case unary(CheckedContinuation<[UInt8], Error>, timeout: Scheduled<Void>?)
        case stream(StreamReceiver)
    }

    struct State {
        var nextRequestID: UInt64 = 1
        var calls: [UInt64: Pending] = [:]
        var closedBecause: RPCError?
    }

    private let state = NIOLockedValueBox(State())

    /// A fresh request id; ids are never reused on a connection.
    func nextRequestID() -> UInt64 {
        state.withLockedValue { state in
            defer { state.nextRequestID &+= 1 }
            return state.nextRequestID
        }
    }

    /// Registers a call; returns the reason instead when the connection has closed.
    func register(_ requestID: UInt64, _ pending: Pending) -> RPCError? {
        state.withLockedValue { state in
            if let reason = state.closedBecause { return reason }
            state.calls[requestID] = pending
            return nil
        }
    }

    /// Attaches the timeout of a unary call; cancels it at once if the call already completed.
    func attach(timeout: Scheduled<Void>, to requestID: UInt64) {
        let attached: Bool = state.withLockedValue { state in
            guard case .unary(let continuation, _) = state.calls[requestID] else { return false }
            state.calls[requestID] = .unary(continuation, timeout: timeout)
            return true
        }
        if !attached { timeout.cancel() }
    }

    /// Removes a call, returning it if it was still in flight.
    func remove(_ requestID: UInt64) -> Pending? {
        state.withLockedValue { $0.calls.removeValue(forKey: requestID) }
    }

    /// Completes a unary call (if still in flight) with `result`; returns whether it was.
    @discardableResult
    func completeUnary(_ requestID: UInt64, with result: Result<[UInt8], RPCError>) -> Bool {
        guard let pending = remove(requestID) else { return false }
        switch pending {
        case .unary(let continuation, let timeout):
            timeout?.cancel()
            continuation.resume(with: result.mapError { $0 as Error })
        case .stream(let receiver):
            receiver.finish(with: result.map { _ in () })
        }
        return true
    }

    /// Routes a frame from the server to its call. Frames for unknown ids (calls that timed out or
    /// were cancelled) are dropped. Returns an error when the frame breaks the protocol.
    func deliver(_ frame: Frame) -> RPCError? {
        let requestID = frame.requestID
        let pending = state.withLockedValue { state -> Pending? in
            guard let pending = state.calls[requestID] else { return nil }
            switch (pending, frame.kind) {
            case (.unary, .response), (.unary, .error), (.stream, .streamEnd), (.stream, .error):
                state.calls[requestID] = nil
            default:
                break
            }
            return pending
        }
        guard let pending else { return nil }
        switch (pending, frame.kind) {
        case (.unary(let continuation, let timeout), .response):
            timeout?.cancel()
            continuation.resume(returning: frame.body)
        case (.unary(let continuation, let timeout), .error):
            timeout?.cancel()
            continuation.resume(throwing: RPCError(errorFrameBody: frame.body))
        case (.stream(let receiver), .streamItem):
            if let violation = receiver.deliver(frame.body) {
                _ = remove(requestID)
                receiver.finish(with: .failure(violation))
                return violation
            }
        case (.stream(let receiver), .streamEnd):
            receiver.finish(with: .success(()))
        case (.stream(let receiver), .error):
            receiver.finish(with: .failure(RPCError(errorFrameBody: frame.body)))
        default:
            return RPCError(.protocolViolation, "the server sent a \(frame.kind) frame for request \(requestID), which does not expect one")
        }
        return nil
    }

    /// The connection closed: fails every call in flight and every later registration with `reason`.
    func closeAll(because reason: RPCError) {
        let pending = state.withLockedValue { state -> [Pending] in
            if state.closedBecause == nil { state.closedBecause = reason }
            defer { state.calls.removeAll() }
            return Array(state.calls.values)
        }
        for call in pending {
            switch call {
            case .unary(let continuation, let timeout):
                timeout?.cancel()
                continuation.resume(throwing: reason)
            case .stream(let receiver):
                receiver.finish(with: .failure(reason))
            }
        }
    }

    /// How many calls are in flight.
    var count: Int { state.withLockedValue { $0.calls.count } }
}
