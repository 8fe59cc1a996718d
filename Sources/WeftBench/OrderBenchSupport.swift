#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// When each envelope's broadcast began, written by the client tasks and read by the deliver task.
///
/// `@unchecked Sendable`: each slot is written once, by the one client that holds its ticket, before
/// the envelope is broadcast; the deliver task reads it only after the envelope came back in a block,
/// which the broadcast's actor hops order after the write.
final class StartTimes: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<UInt64>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: 0)
    }

    deinit { slots.deallocate() }

    subscript(index: Int) -> UInt64 {
        get { slots[index] }
        set { slots[index] = newValue }
    }
}

/// Hands out envelope indices to the client tasks.
///
/// `@unchecked Sendable`: `nextIndex` is only touched under `lock`.
final class Tickets: @unchecked Sendable {
    private let lock = NIOLock()
    private let count: Int
    private var nextIndex = 0

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}

/// What the deliver task saw and what the clients were told.
///
/// `@unchecked Sendable`: every property is only touched under `lock`.
final class DeliveryLog: @unchecked Sendable {
    private let lock = NIOLock()
    private var latencies: [UInt64] = []
    private var blockTimes: [UInt64] = []
    /// The latest broadcast start among each block's envelopes.
    private var blockNewestStarts: [UInt64] = []
    private var refusedCount = 0
    private var retryCount = 0

    init(capacity: Int) { latencies.reserveCapacity(capacity) }

    func delivered(block latenciesOfBlock: [UInt64], newestStart: UInt64, at time: UInt64) {
        lock.lock()
        latencies += latenciesOfBlock
        blockTimes.append(time)
        blockNewestStarts.append(newestStart)
        lock.unlock()
    }

    /// When the first block holding an envelope broadcast after `instant` was delivered.
    func firstBlock(withEnvelopeBroadcastAfter instant: UInt64) -> UInt64? {
        lock.lock()
        defer { lock.unlock() }
        return zip(blockTimes, blockNewestStarts).first { $0.1 > instant }?.0
    }

    func refusedOne() { lock.lock(); refusedCount += 1; lock.unlock() }
    func retried() { lock.lock(); retryCount += 1; lock.unlock() }

    /// Envelopes delivered, blocks delivered, refusals, retries, and the last block's delivery time.
    var snapshot: (latencies: [UInt64], blocks: [UInt64], refused: Int, retries: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (latencies, blockTimes, refusedCount, retryCount)
    }

    var settledCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return latencies.count + refusedCount
    }

    var lastBlockTime: UInt64? {
        lock.lock()
        defer { lock.unlock() }
        return blockTimes.last
    }
}

/// At most `limit` envelopes broadcast and not yet delivered: `acquire` waits for room.
actor BroadcastWindow {
    private let limit: Int
    private var used = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if used < limit {
            used += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release(_ count: Int) {
        used = max(0, used - count)
        while used < limit, !waiting.isEmpty {
            used += 1
            waiting.removeFirst().resume()
        }
    }

    /// Forgets every envelope in flight (those a killed leader held will never be delivered).
    func reset() {
        release(used)
    }
}
