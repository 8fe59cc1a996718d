import Foundation
import Orderer
import Raft
import Testing
import WeftCore

/// Random runs of a 3-node cluster: broadcasts to random nodes interleaved with ticks, lost and
/// reordered Raft messages, crashes of followers and leaders, and restarts (often behind a snapshot).
/// After every run, every node must hold the same chain, every block must link to the one before, no
/// envelope may be in two blocks — and none may be lost that no fault could have lost: an accepted
/// envelope is dropped only when its leader dies or loses leadership (a new term), so every envelope
/// accepted after the last crash or new term must be in the chain. Each run ends with a quiet phase of
/// 20 broadcasts, so the bound is never empty for lack of broadcasts.
///
/// `swift test` runs 12 seeds, each its own test case (`ORDERER_SEEDS=50` runs 50); a failure names its
/// seed; replay one with `ORDERER_SEED=n swift test --filter RandomFailoverTests`.
@Suite(.serialized) struct RandomFailoverTests {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let seed = environment["ORDERER_SEED"].flatMap(UInt64.init) { return [seed] }
        let count = environment["ORDERER_SEEDS"].flatMap(Int.init) ?? 12
        return (1...UInt64(max(count, 1))).map { $0 }
    }

    @Test(arguments: seeds)
    func noEnvelopeIsEverInTwoBlocksNoneIsLostWithoutAFaultAndNoBlockForks(seed: UInt64) async throws {
        do {
            try await Self.run(seed: seed)
        } catch {
            Issue.record("seed \(seed) failed: \(error) — replay with ORDERER_SEED=\(seed) swift test --filter RandomFailoverTests")
        }
    }

    /// What a run accepted, and when the last fault that could drop accepted envelopes happened.
    struct Tally {
        /// Accepted envelope tags, with the step at which they were accepted.
        var accepted: [Int: Int] = [:]
        var broadcastCount = 0
        /// The last step at which a node was killed or some node's term grew.
        var lastDisruption = -1
        var highestTerm: UInt64 = 0

        /// Tags accepted after the last disruption: no fault can have dropped them.
        var required: Set<Int> { Set(accepted.filter { $0.value > lastDisruption }.keys) }

        /// Notes a new term (or a kill, with `killed`) at `step`.
        mutating func observe(_ cluster: TestCluster, step: Int, killed: Bool = false) async {
            var term = highestTerm
            for id in cluster.liveIDs { term = max(term, await cluster.nodes[id]!.status().term) }
            if term > highestTerm || killed { lastDisruption = step }
            highestTerm = term
        }
    }

    static func run(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let limits = BatchLimits(maxEnvelopeCount: Int.random(in: 2...6, using: &random), batchTimeout: .milliseconds(300))
        let inflight = Int.random(in: 1...3, using: &random)
        let snapshotBytes = Int.random(in: 1...6_000, using: &random)
        let lossPercent = Int.random(in: 0...10, using: &random)
        let reorderPercent = Int.random(in: 0...25, using: &random)
        try await TestCluster.run(limits: limits, configure: {
            $0.maxInflightBlocks = inflight
            $0.snapshotIntervalBytes = snapshotBytes
            $0.randomSeed = $0.nodeID &* 7919 &+ seed
        }) { cluster in
            cluster.network.loseMessages(percent: lossPercent, seed: seed)
            cluster.network.reorderMessages(percent: reorderPercent)
            var tally = Tally()
            func broadcast(to target: NodeID, step: Int) async throws {
                let response = await cluster.broadcast(try cluster.envelopes.envelope(tag: tally.broadcastCount), to: target)
                if response.status == .success { tally.accepted[tally.broadcastCount] = step }
                tally.broadcastCount += 1
            }
            for step in 0..<160 {
                let live = cluster.liveIDs
                var killed = false
                switch Int.random(in: 0..<100, using: &random) {
                case 0..<50:
                    let target = live.randomElement(using: &random)!
                    for _ in 0..<Int.random(in: 1...3, using: &random) { try await broadcast(to: target, step: step) }
                case 50..<84:
                    await cluster.tick(Int.random(in: 1...3, using: &random))
                case 84..<92 where live.count == cluster.ids.count:
                    // Crash the leader if there is one, otherwise anybody.
                    let victim = await cluster.leader() ?? live.randomElement(using: &random)!
                    await cluster.kill(victim)
                    killed = true
                case 92..<100 where live.count < cluster.ids.count:
                    try cluster.start(cluster.ids.first { cluster.nodes[$0] == nil }!)
                default:
                    await cluster.tick()
                }
                await tally.observe(cluster, step: step, killed: killed)
            }
            cluster.network.loseMessages(percent: 0, seed: seed)
            cluster.network.reorderMessages(percent: 0)
            for id in cluster.ids where cluster.nodes[id] == nil { try cluster.start(id) }
            try await settle(cluster)
            await tally.observe(cluster, step: 160)
            // The quiet phase: no faults, one broadcast per tick to a random node.
            for step in 161..<181 {
                try await broadcast(to: cluster.ids.randomElement(using: &random)!, step: step)
                await cluster.tick()
                await tally.observe(cluster, step: step)
            }
            // A settled cluster may still hold the last block in flight (proposed, not yet committed):
            // tick until every envelope no fault could have dropped is ordered on every node.
            var step = 181
            try await cluster.tick(until: "every envelope accepted after the last disruption ordered on every node", maxTicks: 300) {
                await tally.observe(cluster, step: step)
                step += 1
                let required = tally.required
                for id in cluster.ids {
                    let tags = try cluster.chain(of: id).flatMap { $0.data.compactMap(EnvelopeFactory.tag(of:)) }
                    guard required.isSubset(of: tags) else { return false }
                }
                return true
            }
            try await settle(cluster)
            await tally.observe(cluster, step: step)
            try check(cluster, tally: tally, seed: seed)
            print("RandomFailoverTests seed \(seed): \(tally.accepted.count) of \(tally.broadcastCount) accepted, "
                  + "\(tally.required.count) required after the last disruption (step \(tally.lastDisruption)), "
                  + "loss \(lossPercent) %, reorder \(reorderPercent) %")
        }
    }

    /// Ticks until a leader exists, nothing is pending, and every node holds the same tip.
    static func settle(_ cluster: TestCluster) async throws {
        try await cluster.tick(until: "the cluster settling", maxTicks: 600) {
            guard let leader = await cluster.leader() else { return false }
            let leaderStatus = await cluster.nodes[leader]!.status()
            guard leaderStatus.pendingEnvelopes == 0, leaderStatus.commitIndex == leaderStatus.appliedIndex else { return false }
            var tips: Set<ChainTip> = []
            for id in cluster.ids {
                let status = await cluster.nodes[id]!.status()
                guard !status.isCatchingUp else { return false }
                tips.insert(status.tip)
            }
            return tips.count == 1
        }
    }

    static func check(_ cluster: TestCluster, tally: Tally, seed: UInt64) throws {
        let chains = try cluster.ids.map { try cluster.chain(of: $0) }
        for chain in chains { #expect(chain.map(\.header) == chains[0].map(\.header), "the nodes' chains differ") }
        var previous = BlockHeader.genesisPreviousHash
        var seen: [Int: UInt64] = [:]
        for (position, block) in chains[0].enumerated() {
            #expect(block.number == UInt64(position))
            #expect(block.header.previousHash == previous)
            #expect(block.header.dataHash == Block.dataHash(of: block.data))
            previous = block.header.hash
            for envelope in block.data {
                let tag = try #require(EnvelopeFactory.tag(of: envelope))
                if let earlier = seen[tag] {
                    Issue.record("envelope \(tag) is in block \(earlier) and in block \(block.number)")
                }
                seen[tag] = block.number
            }
        }
        // None appears from nowhere; every envelope no fault could have dropped made it.
        #expect(seen.count <= tally.accepted.count)
        #expect(seen.keys.allSatisfy { $0 < tally.broadcastCount })
        let missing = tally.required.subtracting(seen.keys)
        #expect(missing.isEmpty, "seed \(seed): \(missing.count) envelopes accepted after the last disruption (step \(tally.lastDisruption)) are lost: \(missing.sorted().prefix(10))")
    }
}
