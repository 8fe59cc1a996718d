#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import WeftCore

extension BlockStore {
    /// Streams the stored blocks from `start` on, then each new block as soon as it is durable, until the
    /// consumer stops, its task is cancelled (the stream then throws `CancellationError`), or the store
    /// closes (`OrdererError.stopped`).
    ///
    /// The stream is pulled: it reads block `n + 1` from the file only when the consumer asks for it,
    /// so a slow consumer holds at most the one block it is handed, never a growing buffer.
    public func blocks(from start: UInt64) -> AsyncThrowingStream<Block, any Error> {
        let cursor = DeliverCursor(start)
        return AsyncThrowingStream(unfolding: { [self] in
            let number = cursor.current
            try await waitForBlock(number)
            let block = try block(number)
            cursor.advance(past: number)
            return block
        })
    }

    /// Returns once block `number` is durable; throws `OrdererError.stopped` when the store closes
    /// first and `CancellationError` when the calling task is cancelled.
    public func waitForBlock(_ number: UInt64) async throws {
        let (available, closed, id) = waiterTicket(for: number)
        if available { return }
        if closed { throw OrdererError.stopped }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if number < tipLocked.height {
                    lock.unlock()
                    continuation.resume()
                } else if isClosed {
                    lock.unlock()
                    continuation.resume(throwing: OrdererError.stopped)
                } else if Task.isCancelled {
                    // Cancelled before registering: the handler below found nothing to resume.
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, number: number, continuation: continuation))
                    lock.unlock()
                }
            }
        } onCancel: {
            lock.lock()
            let cancelled = waiters.first { $0.id == id }
            waiters.removeAll { $0.id == id }
            lock.unlock()
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }
}

extension BlockStore {
    /// Whether block `number` is durable, whether the store is closed, and an id for a new waiter.
    fileprivate func waiterTicket(for number: UInt64) -> (available: Bool, closed: Bool, id: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        nextWaiterID += 1
        return (number < tipLocked.height, isClosed, nextWaiterID)
    }
}

/// The next block number of one deliver stream.
///
/// `@unchecked Sendable`: `next` is only read and written under `lock`.
private final class DeliverCursor: @unchecked Sendable {
    private let lock = NIOLock()
    private var next: UInt64

    init(_ start: UInt64) { next = start }

    var current: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return next
    }

    func advance(past number: UInt64) {
        lock.lock()
        next = number + 1
        lock.unlock()
    }
}
