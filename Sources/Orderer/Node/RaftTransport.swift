import Raft
import WeftCore

/// How an orderer talks to the other orderers of its cluster. The ordering node calls it; the TCP
/// transport (module WeftNode) implements it over authenticated connections, tests over memory.
///
/// Inbound traffic goes to the recipient `OrderingNode`: Raft messages to `receive(_:)`, forwarded
/// envelopes to `forwarded(_:)`, catch-up requests to `blocks(startingAt:maxCount:)`.
public protocol RaftTransport: Sendable {
    /// Sends Raft messages to their recipients (`Message.to`), in order per recipient where possible.
    /// Must not block: a message that cannot be sent now may be dropped (Raft retransmits), but never
    /// altered. Called from the node's own thread after the state the messages depend on is durable.
    func send(_ messages: [Message])

    /// Hands an envelope that passed this orderer's broadcast checks to the Raft leader `leader`
    /// (`OrderingNode.forwarded(_:)` there) and returns its answer. Throws when `leader` cannot be
    /// reached; the broadcast is then answered 503.
    func forward(_ envelope: [UInt8], to leader: NodeID) async throws -> BroadcastResult

    /// Asks orderer `node` for its stored blocks from `number` on, at most `maxCount`
    /// (`OrderingNode.blocks(startingAt:maxCount:)` there). An empty answer means it has none yet.
    /// Used by a node whose Raft snapshot is ahead of its block store.
    func fetchBlocks(from node: NodeID, startingAt number: UInt64, maxCount: Int) async throws -> [Block]
}

/// The source of time of an ordering node: Raft ticks and batch timeouts are measured on it. The system
/// clock in production; a manually advanced clock in tests.
public protocol OrderingClock: Sendable {
    /// The time elapsed since the clock's origin.
    var now: Duration { get }

    /// Suspends until `now` reaches `deadline` (at once when it already has). Throws
    /// `CancellationError` when the calling task is cancelled.
    func sleep(until deadline: Duration) async throws
}

/// The monotonic system clock (`ContinuousClock`), counted from when this value was made.
public struct SystemOrderingClock: OrderingClock {
    private let origin = ContinuousClock.now

    /// Creates a clock whose origin is now.
    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(until deadline: Duration) async throws {
        try await ContinuousClock().sleep(until: origin + deadline, tolerance: nil)
    }
}
