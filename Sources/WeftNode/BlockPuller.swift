import Committer
import Logging
import NIOConcurrencyHelpers
import Orderer
import WeftCore

/// Keeps a peer's ledger up to date: streams blocks from one orderer at a time (`deliver` from the
/// peer's height) into the committer, and moves on to another orderer when one fails, its link dies
/// (TCP keepalive), or it stays connected but stops advancing while another orderer is ahead — the
/// peer's height stood still for `stallTimeout` and another orderer's `ordererStatus` reports a
/// greater height (`DeliverFailover`; seen across a lossy WAN link: docs/deployment.md, "Separate
/// hosts"). So a peer that fell behind or restarted catches up by itself. A block the committer
/// refuses (not signed by the orderers, not the next link) ends the stream from that orderer; a
/// failed commit is the committer's to retry, and is logged here once when it starts and once when
/// it is over.
struct BlockPuller: Sendable {
    let node: NodeContext
    let channel: LiveChannel
    let committer: Committer
    let logger: Logger
    /// How long the peer's height may stand still, while another orderer is ahead of it, before the
    /// peer leaves the orderer it pulls from.
    var stallTimeout = DeliverFailover.defaultStallTimeout
    /// Connected to an orderer right now (for health checks).
    let connected = ConnectionFlag()

    func run() async {
        let failover = DeliverFailover(
            source: RPCBlockSource(node: node, live: channel, logger: logger), sink: committer, clock: SystemOrderingClock(),
            stallTimeout: stallTimeout, connected: connected, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await logCommitHealth() }
            group.addTask { await failover.run() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Logs each change of the committer's health: a failing commit once, and its recovery.
    private func logCommitHealth() async {
        var wasHealthy = true
        for await health in await committer.healthChanges() {
            if !health.isHealthy {
                logger.error("committer: \(health)")
            } else if !wasHealthy {
                logger.info("committer recovered: \(health)")
            }
            wasHealthy = health.isHealthy
        }
    }
}

/// A thread-safe boolean.
final class ConnectionFlag: @unchecked Sendable {
    // Guarded by `lock`; read from health checks and written by the puller.
    private let lock = NIOLock()
    private var value = false

    func set(_ newValue: Bool) { lock.withLock { value = newValue } }
    var isSet: Bool { lock.withLock { value } }
}
