import Raft

/// Three nodes in one process on a fake millisecond clock: nodes 1 and 2 share a site, node 3 is
/// across a wide-area link. Every link behaves like the orderer's transport (`OrdererLinks`): per
/// direction one call in flight, carrying one frame taken from the sender's `RaftOutbox`, delivered
/// after a one-way delay and answered after another; only then does the next call start. Across the
/// WAN a traversal may hit a lost packet (TCP retransmits it: the frame or answer arrives a
/// retransmission timeout later), and a call may fail outright (its frame is lost, and the sender
/// waits out the call timeout). Node 1 campaigns at once; the leader proposes one entry (a block)
/// every `proposalInterval`; Raft ticks every 100 ms. Seeded: a seed replays exactly.
struct WANSimulation {
    struct Options {
        var loadMilliseconds = 60_000
        /// Quiet time after the load, for the far node to finish catching up.
        var drainMilliseconds = 10_000
        var proposalInterval = 250
        var lanOneWay = 0...1
        var wanOneWay = 40...60
        /// The chance that a traversal of the WAN meets a lost packet, and what the retransmission costs.
        var packetLossRate = 0.01
        var retransmission = 200...400
        /// The chance that a call across the WAN fails (its frame is lost), and the call timeout.
        var callFailureRate = 0.005
        var callTimeout = 2_000
    }

    /// What a run measured.
    struct Report: CustomStringConvertible {
        /// The longest time between the leader committing an entry and the far node committing it.
        var maxFarLagMilliseconds = 0
        var committedByLeader: UInt64 = 0
        var committedByFarNode: UInt64 = 0
        var framesSent = 0
        var framesLost = 0
        var retransmissions = 0
        var largestFrame = 0

        var description: String {
            "far node lag up to \(maxFarLagMilliseconds) ms; committed \(committedByLeader) on the leader, "
                + "\(committedByFarNode) on the far node; \(framesSent) frames (largest \(largestFrame) messages), "
                + "\(framesLost) lost, \(retransmissions) retransmissions"
        }
    }

    private struct Link {
        var outbox = RaftOutbox()
        var busyUntil = 0
    }

    private struct Delivery {
        var at: Int
        var sequence: Int
        var messages: [Message]
    }

    static let farNode: NodeID = 3
    let ids: [NodeID] = [1, 2, 3]
    let seed: UInt64
    let options: Options
    private var random: SplitMix64
    private var nodes: [NodeID: RaftNode] = [:]
    /// Links by (from, to), iterated in `linkOrder` (dictionary order is not deterministic).
    private var links: [[NodeID]: Link] = [:]
    private let linkOrder: [[NodeID]]
    private var deliveries: [Delivery] = []
    private var sequence = 0
    private var now = 0
    private var proposals = 0
    /// When each index was first committed by a leader, and by the far node.
    private var leaderCommitTimes: [UInt64: Int] = [:]
    private var farCommitTimes: [UInt64: Int] = [:]
    private(set) var report = Report()

    init(seed: UInt64, options: Options = Options()) throws {
        self.seed = seed
        self.options = options
        random = SplitMix64(seed: seed)
        let ids = self.ids
        linkOrder = ids.flatMap { from in ids.filter { $0 != from }.map { [from, $0] } }
        for id in ids {
            let configuration = RaftConfiguration(id: id, voters: ids)   // production defaults: 10/1 ticks, 256 in flight
            nodes[id] = try RaftNode(configuration: configuration, random: SplitMix64(seed: seed &* 31 &+ id))
        }
        for link in linkOrder { links[link] = Link() }
    }

    /// Runs the load, then the quiet phase; returns what it measured.
    mutating func run() throws -> Report {
        nodes[1]!.campaign()
        process(1)
        let end = options.loadMilliseconds + options.drainMilliseconds
        while now < end {
            now += 1
            if now % 100 == 0 {
                for id in ids {
                    nodes[id]!.tick()
                    process(id)
                }
            }
            if now <= options.loadMilliseconds, now % options.proposalInterval == 0 { try propose() }
            deliverDue()
            startCalls()
        }
        report.committedByLeader = leaderCommitTimes.keys.max() ?? 0
        report.committedByFarNode = farCommitTimes.keys.max() ?? 0
        report.maxFarLagMilliseconds = leaderCommitTimes.map { index, committed in
            (farCommitTimes[index] ?? now) - committed
        }.max() ?? 0
        return report
    }

    private mutating func propose() throws {
        guard let leader = ids.first(where: { nodes[$0]!.role == .leader }) else { return }
        proposals += 1
        try nodes[leader]!.propose(Array("block \(proposals)".utf8))
        process(leader)
    }

    /// Persists (in this model, instantly), sends into the outboxes, applies and advances every `Ready`.
    private mutating func process(_ id: NodeID) {
        while let ready = nodes[id]!.ready() {
            var byDestination: [NodeID: [Message]] = [:]
            for message in ready.messages { byDestination[message.to, default: []].append(message) }
            for destination in ids where byDestination[destination] != nil {
                links[[id, destination]]!.outbox.append(byDestination[destination]!)
            }
            for entry in ready.committedEntries {
                if nodes[id]!.role == .leader, leaderCommitTimes[entry.index] == nil { leaderCommitTimes[entry.index] = now }
                if id == Self.farNode { farCommitTimes[entry.index] = now }
            }
            nodes[id]!.advance(ready)
        }
    }

    private mutating func deliverDue() {
        guard deliveries.contains(where: { $0.at <= now }) else { return }
        let due = deliveries.filter { $0.at <= now }.sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
        deliveries.removeAll { $0.at <= now }
        for delivery in due {
            guard let to = delivery.messages.first?.to else { continue }
            for message in delivery.messages { nodes[to]!.step(message) }
            process(to)
        }
    }

    /// Every idle link with messages waiting starts its next call.
    private mutating func startCalls() {
        for key in linkOrder {
            guard links[key]!.busyUntil <= now, let frame = links[key]!.outbox.takeFrame(maxFrameBytes: 16 << 20) else { continue }
            report.framesSent += 1
            report.largestFrame = max(report.largestFrame, frame.count)
            let acrossWAN = key.contains(Self.farNode)
            if acrossWAN, Double.random(in: 0..<1, using: &random) < options.callFailureRate {
                report.framesLost += 1
                links[key]!.busyUntil = now + options.callTimeout
                continue
            }
            let there = traversal(acrossWAN: acrossWAN)
            let back = traversal(acrossWAN: acrossWAN)
            sequence += 1
            deliveries.append(Delivery(at: now + there, sequence: sequence, messages: frame))
            links[key]!.busyUntil = now + there + back
        }
    }

    /// How long one traversal takes: a one-way delay, plus a retransmission when a packet is lost.
    private mutating func traversal(acrossWAN: Bool) -> Int {
        guard acrossWAN else { return Int.random(in: options.lanOneWay, using: &random) }
        var delay = Int.random(in: options.wanOneWay, using: &random)
        if Double.random(in: 0..<1, using: &random) < options.packetLossRate {
            delay += Int.random(in: options.retransmission, using: &random)
            report.retransmissions += 1
        }
        return delay
    }
}
