import NIOConcurrencyHelpers
import NIOCore
import Wire

/// The client's buffer for one server stream: the event loop delivers items, the consuming task
/// takes them. Consumed bytes are granted back to the server as credit, so the buffer holds at most
/// the stream window plus one item; a server that sends beyond that breaks the protocol.
final class StreamReceiver: Sendable {
    struct State {
        var items = CircularBuffer<[UInt8]>()
        var bufferedBytes = 0
        var end: Result<Void, RPCError>?
        var waiter: CheckedContinuation<[UInt8]?, Error>?
        var consumedSinceGrant = 0
        var isCancelled = false
    }

    private let state = NIOLockedValueBox(State())
    private let window: Int
    private let bufferLimit: Int
    private let grant: @Sendable (Int) -> Void
    private let cancelOnServer: @Sendable () -> Void

    /// - Parameters:
    ///   - window: the credit granted when the stream starts; more is granted as items are consumed.
    ///   - maximumItem: the largest item the server may send (the frame limit).
    ///   - grant: sends a credit frame for that many bytes.
    ///   - cancelOnServer: forgets the call and sends a cancel frame.
    init(window: Int, maximumItem: Int, grant: @escaping @Sendable (Int) -> Void, cancelOnServer: @escaping @Sendable () -> Void) {
        self.window = window
        self.bufferLimit = window + maximumItem
        self.grant = grant
        self.cancelOnServer = cancelOnServer
    }

    /// Event loop: an item arrived. Returns an error when the server ignored the credit limit.
    func deliver(_ item: [UInt8]) -> RPCError? {
        enum Outcome { case dropped, buffered, handed(CheckedContinuation<[UInt8]?, Error>, grant: Int), overflow }
        let outcome: Outcome = state.withLockedValue { state in
            guard state.end == nil, !state.isCancelled else { return .dropped }
            if let waiter = state.waiter {
                state.waiter = nil
                return .handed(waiter, grant: consumed(item.count, &state))
            }
            guard state.bufferedBytes + item.count <= bufferLimit else { return .overflow }
            state.items.append(item)
            state.bufferedBytes += item.count
            return .buffered
        }
        switch outcome {
        case .dropped, .buffered:
            return nil
        case .handed(let waiter, let credit):
            waiter.resume(returning: item)
            if credit > 0 { grant(credit) }
            return nil
        case .overflow:
            return RPCError(.protocolViolation, "the server sent more stream data than the \(window)-byte window allows")
        }
    }

    /// The stream ended (normally, with an error, or because the connection closed). Items already
    /// buffered are still handed out before the end is reported.
    func finish(with result: Result<Void, RPCError>) {
        let waiter: CheckedContinuation<[UInt8]?, Error>? = state.withLockedValue { state in
            guard state.end == nil, !state.isCancelled else { return nil }
            state.end = result
            defer { state.waiter = nil }
            return state.waiter
        }
        guard let waiter else { return }
        switch result {
        case .success: waiter.resume(returning: nil)
        case .failure(let error): waiter.resume(throwing: error)
        }
    }

    /// The consumer's next item; nil at the end of the stream or once cancelled.
    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, Error>) in
                enum Outcome { case item([UInt8], grant: Int), end(Result<Void, RPCError>), wait }
                let outcome: Outcome = state.withLockedValue { state in
                    if let item = state.items.popFirst() {
                        state.bufferedBytes -= item.count
                        return .item(item, grant: consumed(item.count, &state))
                    }
                    if let end = state.end { return .end(end) }
                    if state.isCancelled { return .end(.success(())) }
                    state.waiter = continuation
                    return .wait
                }
                switch outcome {
                case .item(let item, let credit):
                    continuation.resume(returning: item)
                    if credit > 0 { grant(credit) }
                case .end(.success):
                    continuation.resume(returning: nil)
                case .end(.failure(let error)):
                    continuation.resume(throwing: error)
                case .wait:
                    break
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The consumer gave up: ends the stream for the consumer and tells the server to stop.
    func cancel() {
        let (waiter, shouldTellServer): (CheckedContinuation<[UInt8]?, Error>?, Bool) = state.withLockedValue { state in
            guard state.end == nil, !state.isCancelled else { return (nil, false) }
            state.isCancelled = true
            state.items.removeAll()
            state.bufferedBytes = 0
            defer { state.waiter = nil }
            return (state.waiter, true)
        }
        waiter?.resume(returning: nil)
        if shouldTellServer { cancelOnServer() }
    }

    /// Counts consumed bytes; returns the credit to grant now (0 until half the window is consumed).
    private func consumed(_ count: Int, _ state: inout State) -> Int {
        state.consumedSinceGrant += count + Frame.headerLength
        guard state.consumedSinceGrant >= window / 2 else { return 0 }
        defer { state.consumedSinceGrant = 0 }
        return state.consumedSinceGrant
    }
}
