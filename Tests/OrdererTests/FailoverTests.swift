import Foundation
import Orderer
import Raft
import Testing
import WeftCore

/// Leader failover, restarts from the node's files, and catch-up from a snapshot.
@Suite(.serialized) struct FailoverTests {
    /// Broadcasts `count` new envelopes (tags from `first`) to `node`; all must be accepted.
    static func order(_ cluster: TestCluster, tags: Range<Int>, to node: NodeID) async throws {
        for tag in tags {
            let response = await cluster.broadcast(try cluster.envelopes.envelope(tag: tag), to: node)
            #expect(response.status == .success, "\(response)")
        }
    }

    static func expectIdenticalChains(_ cluster: TestCluster) throws {
        let chains = try cluster.liveIDs.map { try cluster.chain(of: $0) }
        for chain in chains { #expect(chain.map(\.header) == chains[0].map(\.header)) }
    }

    /// "Within 44 ticks": two of the longest election timeouts (20 ticks of 100 ms each) and a margin;
    /// one timeout (1–2 s of the fake clock) is the usual case.
    @Test func whenTheLeaderDiesANewOneIsElectedWithin44TicksAndOrderingResumes() async throws {
        try await TestCluster.run { cluster in
            let (first, _) = try await cluster.electLeader()
            try await Self.order(cluster, tags: 0..<20, to: first)
            try await cluster.waitForHeight(2)
            await cluster.kill(first)

            // Election timeouts are 10–20 ticks of 100 ms: a new leader within ~2 s of the old one's death.
            // Each tick waits until every message is delivered and processed (`waitForDelivery`), so a
            // vote never misses its tick however loaded the machine; the bound allows a split vote.
            let (second, ticks) = try await cluster.electLeader(maxTicks: 60)
            #expect(second != first)
            #expect(ticks <= 44, "the new leader took \(ticks) ticks")
            let follower = cluster.liveIDs.first { $0 != second }!
            try await Self.order(cluster, tags: 20..<30, to: follower)
            try await cluster.settle(height: 3)
            let chain = try cluster.chain(of: second)
            #expect(chain[2].header.previousHash == chain[1].header.hash)

            // The old leader restarts from its Raft log and block store and catches up.
            try cluster.start(first)
            #expect(cluster.nodes[first]!.blockStore.height == 2)
            try await cluster.waitForHeight(3)
            try Self.expectIdenticalChains(cluster)
            try await Self.order(cluster, tags: 30..<40, to: first)
            try await cluster.waitForHeight(4)
            try Self.expectIdenticalChains(cluster)
            #expect(cluster.network.fetchedBlocks == 0)   // no snapshot was taken: plain Raft replication
        }
    }

    /// The same on the system clock (100 ms ticks, 1–2 s election timeouts, nodes ticking themselves):
    /// after the leader dies, the survivors elect a new one and a broadcast to a survivor is ordered.
    /// How fast is checked in ticks by the fake-clock test above; here real time only bounds a hang
    /// (`hangGuard`), far beyond anything a busy machine needs, so the test fails only when ordering
    /// never resumes.
    @Test func onTheSystemClockANewLeaderTakesOverAndOrderingResumes() async throws {
        try await TestCluster.run(limits: BatchLimits(maxEnvelopeCount: 1), realTime: true) { cluster in
            await cluster.nodes[1]!.campaign()
            let first = try await Self.realTimeLeader(cluster)
            try await Self.order(cluster, tags: 0..<1, to: first)
            try await cluster.settle(height: 1, seconds: Self.hangGuard)
            await cluster.kill(first)
            let second = try await Self.realTimeLeader(cluster)
            #expect(second != first)
            let survivor = cluster.liveIDs.first { $0 != second }!
            // A follower that has not yet heard from the new leader answers 503; it forwards once it has.
            let deadline = ContinuousClock.now + .seconds(Self.hangGuard)
            var tag = 1
            while await cluster.broadcast(try cluster.envelopes.envelope(tag: tag), to: survivor).status != .success {
                guard ContinuousClock.now < deadline else {
                    throw ClusterTimeout(description: "no broadcast to node \(survivor) was accepted in \(Self.hangGuard) s")
                }
                tag += 1
                try await Task.sleep(for: .milliseconds(20))
            }
            try await cluster.settle(height: 2, seconds: Self.hangGuard)
        }
    }

    /// Seconds of real time after which a real-time test gives up: a hang, not slowness.
    static let hangGuard = 60.0

    /// Waits until the live nodes agree on a leader; throws after `hangGuard` seconds.
    static func realTimeLeader(_ cluster: TestCluster) async throws -> NodeID {
        let deadline = ContinuousClock.now + .seconds(hangGuard)
        while ContinuousClock.now < deadline {
            if let leader = await cluster.leader() { return leader }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ClusterTimeout(description: "no leader within \(hangGuard) s")
    }

    @Test func aNodeRestartedBehindTheLeadersSnapshotFetchesTheBlocksItMissed() async throws {
        // A snapshot (and log compaction) after every block.
        try await TestCluster.run(configure: { $0.snapshotIntervalBytes = 1 }) { cluster in
            let (leader, _) = try await cluster.electLeader()
            let lagging = cluster.ids.first { $0 != leader }!
            try await Self.order(cluster, tags: 0..<10, to: leader)
            try await cluster.waitForHeight(1)
            await cluster.kill(lagging)
            try await Self.order(cluster, tags: 10..<60, to: leader)
            try await cluster.waitForHeight(6)
            #expect(await cluster.nodes[leader]!.status().snapshotIndex > 0)

            try cluster.start(lagging)
            #expect(cluster.nodes[lagging]!.blockStore.height == 1)
            try await cluster.waitForHeight(6)
            // Blocks 1–5 were compacted away on the leader: they came by catch-up, not by Raft.
            #expect(cluster.network.fetchedBlocks >= 5)
            // The store reaches the target before the node, resuming from its disk work, ends catch-up.
            try await cluster.tick(until: "the lagging node ending its catch-up", maxTicks: 100) {
                await !cluster.nodes[lagging]!.status().isCatchingUp
            }
            try Self.expectIdenticalChains(cluster)
            // A fetched block keeps the signature it came with beside the lagging node's own (a block
            // from before an orderer was added stays valid for the peers that pull it from there).
            let fetched = try cluster.nodes[lagging]!.blockStore.block(3).metadata.ordererSignatures
            #expect(fetched.count == 2 && Set(fetched.map(\.signer)).count == 2)
            #expect(fetched.last?.signer == cluster.configuration(for: lagging).signer.serialized)
            // It applies new blocks after catching up.
            try await Self.order(cluster, tags: 60..<70, to: lagging)
            try await cluster.waitForHeight(7)
            try Self.expectIdenticalChains(cluster)
        }
    }

    /// The leader answers catch-up with a forged chain (linked and hash-consistent, but not the Raft
    /// state's): the lagging node must verify before it signs and publishes, drop it, and take the
    /// real chain from the other orderer.
    @Test func aCatchUpSourceThatForgesTheChainIsRefusedBeforeAnythingIsSigned() async throws {
        try await TestCluster.run(configure: { $0.snapshotIntervalBytes = 1 }) { cluster in
            let (leader, _) = try await cluster.electLeader()
            let lagging = cluster.ids.first { $0 != leader }!
            try await Self.order(cluster, tags: 0..<10, to: leader)
            try await cluster.waitForHeight(1)
            await cluster.kill(lagging)
            try await Self.order(cluster, tags: 10..<60, to: leader)
            try await cluster.waitForHeight(6)

            cluster.network.forgeFetchedBlocks(from: leader)
            try cluster.start(lagging)
            try await cluster.waitForHeight(6)
            try await cluster.tick(until: "the lagging node ending its catch-up", maxTicks: 100) {
                await !cluster.nodes[lagging]!.status().isCatchingUp
            }
            try Self.expectIdenticalChains(cluster)
            for number in UInt64(1)..<6 {
                #expect(try cluster.nodes[lagging]!.blockStore.block(number).data != [Array("forged".utf8)])
            }
        }
    }

    @Test func theWholeClusterRestartsAndContinuesTheSameChain() async throws {
        try await TestCluster.run(configure: { $0.snapshotIntervalBytes = 4_000 }) { cluster in
            let (leader, _) = try await cluster.electLeader()
            try await Self.order(cluster, tags: 0..<30, to: leader)
            try await cluster.waitForHeight(3)
            let before = try cluster.chain(of: leader).map(\.header)
            for id in cluster.ids { await cluster.kill(id) }
            try cluster.startAll()
            for id in cluster.ids { #expect(cluster.nodes[id]!.blockStore.height == 3) }
            let (next, _) = try await cluster.electLeader()
            try await Self.order(cluster, tags: 30..<40, to: next)
            try await cluster.waitForHeight(4)
            let after = try cluster.chain(of: next)
            #expect(Array(after.map(\.header).prefix(3)) == before)
            #expect(after[3].header.number == 3)
            #expect(after[3].header.previousHash == before[2].hash)
            try Self.expectIdenticalChains(cluster)
        }
    }

    @Test func aSecondNodeCannotOpenADirectoryInUseAndANodeRunsOnce() async throws {
        try await TestCluster.run { cluster in
            #expect(throws: OrdererError.directoryInUse(cluster.configuration(for: 1).directory)) {
                _ = try OrderingNode(configuration: cluster.configuration(for: 1), transport: cluster.network.transport(for: 1))
            }
            try await cluster.electLeader()   // every node's run() has started: elections need its processing loop
            await #expect(throws: OrdererError.alreadyRunning) { try await cluster.nodes[1]!.run(ticking: false) }
        }
    }

    @Test func aStoppedNodeRefusesBroadcastsAndEndsItsDeliverStreams() async throws {
        try await TestCluster.run { cluster in
            try await cluster.electLeader()
            let node = cluster.nodes[2]!
            let stream = Task {
                for try await _ in node.deliver(from: 0) {}
            }
            await node.stop()
            await #expect(throws: OrdererError.stopped) { try await stream.value }
            let response = await node.broadcast(try cluster.envelopes.envelope(tag: 1))
            #expect(response.status == .serviceUnavailable)
            #expect(response.message.contains("stopped"))
        }
    }
}
