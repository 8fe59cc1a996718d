import Ledger
import NIOConcurrencyHelpers
import WeftCore

// Commit events, pulled: each stream holds at most one block's events at a time, reads history off
// the committer's actor, and waits for new blocks with a cancellable waiter. A subscriber that stops
// reading (or never grants stream credit) costs one suspended task, never a growing buffer, and never
// holds up commits.

extension Committer {
    /// How many recent blocks' events the committer keeps, so live subscribers need not re-read them.
    static let recentEventsCapacity = 64

    /// Events of every block from `start` on: the committed ones, then each new block as it commits.
    /// Pulled one block at a time as the consumer asks: nothing is buffered for a slow consumer.
    /// Throws when a committed block cannot be read (the subscriber can reopen it from that block),
    /// and `CancellationError` when the consuming task is cancelled while waiting.
    public nonisolated func events(from start: UInt64) -> AsyncThrowingStream<BlockEvents, any Error> {
        let cursor = EventCursor(start)
        return AsyncThrowingStream(unfolding: { [self] in
            let number = cursor.current
            try await waitForBlock(number)
            let events: BlockEvents
            if let recent = await recentEvents(number) {
                events = recent
            } else {
                events = try await readEvents(number)
            }
            cursor.advance(past: number)
            return events
        })
    }

    /// The events of committed block `number`, read from the ledger (off the actor, on the blocking
    /// executor, holding one of the ledger's read slots).
    nonisolated func readEvents(_ number: UInt64) async throws -> BlockEvents {
        try await configuration.ledger.withSnapshot { snapshot in
            guard let block = try snapshot.block(number: number) else {
                throw LedgerError.invalidArgument("block \(number) is not stored")
            }
            return BlockEvents(committed: block)
        }
    }
}

/// The next block number of one events stream.
final class EventCursor: Sendable {
    private let next: NIOLockedValueBox<UInt64>

    init(_ start: UInt64) { next = NIOLockedValueBox(start) }

    var current: UInt64 { next.withLockedValue { $0 } }

    func advance(past number: UInt64) { next.withLockedValue { $0 = max($0, number + 1) } }
}
