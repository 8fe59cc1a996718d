/// The items of one server stream, as an async sequence of message bodies.
///
/// Iterate it from one task. The sequence ends (returns nil) when the server ends the stream, throws
/// an `RPCError` when the server reports an error or the connection closes, and ends when the
/// iterating task is cancelled. Cancelling the task, calling `cancel()`, or dropping the last
/// copy of the sequence and its iterator tells the server to stop. Consumption paces the server:
/// it sends ahead at most `RPCClientConfiguration.streamWindow` bytes.
public struct RPCResponseStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let handle: StreamHandle

    public func makeAsyncIterator() -> Iterator { Iterator(handle: handle) }

    /// Stops the stream: the server is told to stop and the sequence ends.
    public func cancel() { handle.receiver.cancel() }

    /// Iterates one stream.
    public struct Iterator: AsyncIteratorProtocol {
        let handle: StreamHandle

        public mutating func next() async throws -> [UInt8]? {
            try await handle.receiver.next()
        }
    }
}

/// Owns a stream's receiver for the sequence and its iterators; when the last of them is gone, an
/// unfinished stream is cancelled on the server.
final class StreamHandle: Sendable {
    let receiver: StreamReceiver

    init(receiver: StreamReceiver) { self.receiver = receiver }

    deinit { receiver.cancel() }
}
