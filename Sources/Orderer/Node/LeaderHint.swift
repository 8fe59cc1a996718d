#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import Raft

/// The Raft leader a node last knew of, readable without entering the node's actor: a follower's
/// broadcast path forwards to the leader directly instead of first queueing on its own actor.
///
/// A stale hint costs nothing but a 503: the leader's `forwarded(_:)` refuses an envelope when it no
/// longer leads, and a node that believes it leads still decides on its actor.
///
/// `@unchecked Sendable`: `leader` is only read and written under `lock`.
final class LeaderHint: @unchecked Sendable {
    private let lock = NIOLock()
    private var leader: NodeID?

    /// The leader last seen, if any.
    var current: NodeID? {
        lock.lock()
        defer { lock.unlock() }
        return leader
    }

    func update(_ newLeader: NodeID?) {
        lock.lock()
        leader = newLeader
        lock.unlock()
    }
}
