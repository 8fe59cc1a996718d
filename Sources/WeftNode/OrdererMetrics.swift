import CoreMetrics
import NIOConcurrencyHelpers
import Operations
import Orderer
import WeftCore

/// An orderer's metrics (docs/operations.md), made once when the orderer starts — after the metrics
/// bootstrap: broadcast answers by status (from the broadcast route), cuts and broadcast-to-block
/// times (from the ordering node's observer), Raft state sampled once a second.
final class OrdererMetrics: Sendable {
    private let broadcasts = NIOLockedValueBox<[BroadcastStatus: Counter]>([:])
    private let cuts: [BlockCutReason: Counter] = Dictionary(uniqueKeysWithValues: BlockCutReason.allCases.map {
        ($0, Counter(label: WeftMetrics.Name.blocksCut, dimensions: [("reason", $0.rawValue)]))
    })
    private let blockEnvelopes = Recorder(label: WeftMetrics.Name.blockEnvelopes, aggregate: true)
    private let broadcastToBlock = CoreMetrics.Timer(label: WeftMetrics.Name.broadcastToBlockDuration)
    private let term: Gauge
    private let leaderChanges: Counter
    private let isLeader: Gauge
    private let proposalsInFlight: Gauge
    private let commitLag: Gauge
    private let applyLag: Gauge
    private let pendingEnvelopes: Gauge
    private let height: Gauge
    private let connected = WeftMetrics.connectedPeers()
    /// Deliver streams open.
    let deliverStreams = Meter(label: WeftMetrics.Name.deliverStreams)
    /// The channel whose ordering these are.
    let channel: String

    /// The metrics of one channel's ordering: its Raft and chain gauges carry a `channel` label;
    /// broadcast, cut and deliver counts are the orderer's, over all channels.
    init(channel: String) {
        self.channel = channel
        let label = [("channel", channel)]
        term = WeftMetrics.raftTerm(channel: channel)
        leaderChanges = WeftMetrics.raftLeaderChanges(channel: channel)
        isLeader = Gauge(label: WeftMetrics.Name.raftIsLeader, dimensions: label)
        proposalsInFlight = Gauge(label: WeftMetrics.Name.raftProposalsInFlight, dimensions: label)
        commitLag = Gauge(label: WeftMetrics.Name.raftCommitLag, dimensions: label)
        applyLag = Gauge(label: WeftMetrics.Name.raftApplyLag, dimensions: label)
        pendingEnvelopes = Gauge(label: WeftMetrics.Name.pendingEnvelopes, dimensions: label)
        height = WeftMetrics.blockHeight(channel: channel)
    }

    /// The ordering node's observer, recording into these metrics.
    var observer: OrderingObserver {
        OrderingObserver(
            blockCut: { [cuts, blockEnvelopes] reason, envelopes, _ in
                cuts[reason]?.increment()
                blockEnvelopes.record(envelopes)
            },
            envelopesWritten: { [broadcastToBlock] latencies in
                for latency in latencies { broadcastToBlock.recordNanoseconds(latency.nanoseconds) }
            })
    }

    /// Counts one broadcast answer by its status name (`SUCCESS`, `SERVICE_UNAVAILABLE`, …).
    func broadcastAnswered(_ status: BroadcastStatus) {
        let counter = broadcasts.withLockedValue { table in
            if let counter = table[status] { return counter }
            let counter = WeftMetrics.broadcasts(status: status.name)
            table[status] = counter
            return counter
        }
        counter.increment()
    }

    /// Samples the node's Raft state once a second until cancelled; `connectedOrderers` counts the
    /// other orderers this one has a connection to, `outboxes` reports the Raft outbox to each.
    func sample(
        _ node: OrderingNode, connectedOrderers: @escaping @Sendable () async -> Int,
        outboxes: @escaping @Sendable () -> [(destination: String, queued: Int, dropped: Int)] = { [] }
    ) async {
        var leader: UInt64?
        var outboxGauges: [String: (queued: Gauge, dropped: Counter, seen: Int)] = [:]
        while !Task.isCancelled {
            for (destination, queued, dropped) in outboxes() {
                let labels = [("channel", channel), ("destination", destination)]
                var entry = outboxGauges[destination] ?? (Gauge(label: WeftMetrics.Name.raftOutboxMessages, dimensions: labels),
                                                          Counter(label: WeftMetrics.Name.raftOutboxDropped, dimensions: labels), 0)
                entry.queued.record(Int64(queued))
                if dropped > entry.seen { entry.dropped.increment(by: Int64(dropped - entry.seen)) }
                entry.seen = dropped
                outboxGauges[destination] = entry
            }
            let status = await node.status()
            term.record(Int64(status.term))
            height.record(Int64(status.tip.height))
            isLeader.record(status.leader == status.id ? 1 : 0)
            proposalsInFlight.record(Int64(status.proposalsInFlight))
            commitLag.record(Int64(status.lastIndex &- min(status.commitIndex, status.lastIndex)))
            applyLag.record(Int64(status.commitIndex &- min(status.appliedIndex, status.commitIndex)))
            pendingEnvelopes.record(Int64(status.pendingEnvelopes))
            connected.record(Int64(await connectedOrderers()))
            if status.leader != leader {
                if leader != nil { leaderChanges.increment() }
                leader = status.leader
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
