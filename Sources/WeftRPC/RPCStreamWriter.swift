import NIOCore

/// Sends the items of one server stream. Given to a `StreamHandler`; `Sendable`, but items of one
/// stream should be sent from one task so that their order is defined.
///
/// Backpressure: `send` returns once the item is queued on the connection *and* the caller has
/// granted credit for more (credit frames, see `docs/wire.md`) *and* the connection's outbound
/// buffer is below its high-water mark. A slow caller therefore suspends the handler instead of
/// growing a buffer.
public struct RPCStreamWriter: Sendable {
    private let eventLoop: EventLoop
    private let connection: NIOLoopBound<ServerConnectionHandler>
    private let requestID: UInt64

    init(eventLoop: EventLoop, connection: NIOLoopBound<ServerConnectionHandler>, requestID: UInt64) {
        self.eventLoop = eventLoop
        self.connection = connection
        self.requestID = requestID
    }

    /// Sends one item. Throws `RPCError` (`.cancelled` once the caller cancelled or the connection
    /// closed, `.frameTooLarge` for an item over the frame limit) or `CancellationError`.
    public func send(_ item: [UInt8]) async throws {
        try Task.checkCancellation()
        let connection = self.connection
        let requestID = self.requestID
        let eventLoop = self.eventLoop
        try await eventLoop.flatSubmit {
            connection.value.sendStreamItem(item, requestID: requestID, eventLoop: eventLoop)
        }.get()
    }
}
