import Committer
import Foundation
import Identity
import Orderer
import Raft
import Testing
import WeftCore
import WeftCrypto

/// A 3-node ordering cluster in one process (real files, in-memory transport, manual clock).
@Suite(.serialized) struct OrderingClusterTests {
    @Test func broadcastToAnyNodeAndEveryNodeDeliversTheSameSignedBlocks() async throws {
        try await TestCluster.run { cluster in
            let (leader, _) = try await cluster.electLeader()
            // 30 envelopes, to every node in turn: followers forward to the leader.
            var sent: [[UInt8]] = []
            for tag in 0..<30 {
                let envelope = try cluster.envelopes.envelope(tag: tag)
                let target = cluster.ids[tag % 3]
                let response = await cluster.broadcast(envelope, to: target)
                #expect(response.status == .success, "\(response)")
                #expect(response.message.contains("leader \(leader)"))
                sent.append(envelope)
            }
            try await cluster.settle(height: 3)   // 10 envelopes per block
            let chains = try cluster.ids.map { try cluster.chain(of: $0) }
            #expect(chains.allSatisfy { $0.map(\.header) == chains[0].map(\.header) })
            #expect(chains[0].flatMap(\.data) == sent)
            #expect(chains[0].map { $0.data.count } == [10, 10, 10])
            // Block 0 starts the chain; each next block links to the previous header hash.
            #expect(chains[0][0].header.previousHash == BlockHeader.genesisPreviousHash)
            for (previous, block) in zip(chains[0], chains[0].dropFirst()) {
                #expect(block.header.previousHash == previous.header.hash)
            }
            // Each orderer signed its copy; a peer accepts every copy.
            let check = BlockSignatureCheck(validator: cluster.identities.validator, policy: try EndorsementPolicy("ANY orderer"))
            for (id, chain) in zip(cluster.ids, chains) {
                for block in chain {
                    #expect(check.failure(of: block, at: Date()) == nil)
                    #expect(block.metadata.ordererSignatures.count == 1)
                    #expect(block.metadata.ordererSignatures[0].signer == cluster.configuration(for: id).signer.serialized)
                }
            }
        }
    }

    @Test func withoutALeaderBroadcastIsUnavailableAndRefusalsCarryTheirStatus() async throws {
        try await TestCluster.run { cluster in
            let early = await cluster.broadcast(try cluster.envelopes.envelope(tag: 1), to: 2)
            #expect(early.status == .serviceUnavailable)
            #expect(early.message.contains("no Raft leader"))
            try await cluster.electLeader()
            let wrongRole = await cluster.broadcast(try cluster.envelopes.envelope(tag: 2, signer: cluster.identities.peers["Org1"]!), to: 1)
            #expect(wrongRole.status == .forbidden)
            #expect(await cluster.broadcast([1, 2, 3], to: 3).status == .badRequest)
        }
    }

    @Test func theFourCutterLimitsApplyThroughTheService() async throws {
        let limits = BatchLimits(maxEnvelopeCount: 4, preferredMaxBytes: 6_500, absoluteMaxBytes: 9_000, batchTimeout: .seconds(1))
        try await TestCluster.run(limits: limits) { cluster in
            let (leader, _) = try await cluster.electLeader()
            let factory = cluster.envelopes
            var tag = 0
            func send(padding: Int, to node: NodeID? = nil) async throws -> BroadcastResult {
                tag += 1
                return await cluster.broadcast(try factory.envelope(tag: tag, padding: padding), to: node ?? leader)
            }
            // 1. Count: four small envelopes make a block at once (the clock stands still: no timeout).
            for _ in 0..<4 { #expect(try await send(padding: 0).status == .success) }
            try await cluster.settle(height: 1)
            // 2. Preferred bytes: two 2.9 KB envelopes fit; the third would pass 6,500 bytes and cuts the first two.
            for _ in 0..<3 { #expect(try await send(padding: 2_000).status == .success) }
            try await cluster.settle(height: 2)
            // 3. Absolute bytes: refused with 413; an envelope over preferred but under absolute goes alone.
            let tooBig = try await send(padding: 9_500)
            #expect(tooBig.status == .requestEntityTooLarge)
            #expect(try await send(padding: 7_000).status == .success)
            try await cluster.settle(height: 4)
            // 4. Timeout: a lone envelope waits for the batch timeout (1 s = 10 ticks) of the node's clock.
            #expect(try await send(padding: 0, to: cluster.ids.first { $0 != leader }).status == .success)
            try await cluster.waitForHeight(5, maxTicks: 60)
            let sizes = try cluster.chain(of: leader).map { $0.data.count }
            #expect(sizes == [4, 2, 1, 1, 1])
            let timedOut = try cluster.chain(of: leader)[4]
            #expect(timedOut.data.count == 1)
            let anyFollower = cluster.ids.first { $0 != leader }!
            #expect(try cluster.chain(of: anyFollower).map(\.header) == cluster.chain(of: leader).map(\.header))
        }
    }

    @Test func theBatchTimeoutWaitsForTheClock() async throws {
        try await TestCluster.run(limits: BatchLimits(maxEnvelopeCount: 100, batchTimeout: .seconds(2))) { cluster in
            let (leader, _) = try await cluster.electLeader()
            #expect(await cluster.broadcast(try cluster.envelopes.envelope(tag: 1), to: leader).status == .success)
            await cluster.tick(15)   // 1.5 s: not yet
            try await Task.sleep(for: .milliseconds(50))
            #expect(cluster.nodes[leader]!.blockStore.height == 0)
            try await cluster.waitForHeight(1, maxTicks: 40)
        }
    }

    @Test func deliverStreamsFromZeroAndFromTheMiddleThenLive() async throws {
        try await TestCluster.run(limits: BatchLimits(maxEnvelopeCount: 2, batchTimeout: .seconds(1))) { cluster in
            let (leader, _) = try await cluster.electLeader()
            let follower = cluster.ids.first { $0 != leader }!
            for tag in 0..<6 { _ = await cluster.broadcast(try cluster.envelopes.envelope(tag: tag), to: leader) }
            try await cluster.waitForHeight(3)
            let node = cluster.nodes[follower]!
            let live = Task {
                var numbers: [UInt64] = []
                for try await block in node.deliver(from: 1) {
                    numbers.append(block.number)
                    if block.number == 4 { break }
                }
                return numbers
            }
            var fromZero: [UInt64] = []
            for try await block in node.deliver(from: 0) {
                fromZero.append(block.number)
                if block.number == 2 { break }
            }
            #expect(fromZero == [0, 1, 2])
            for tag in 6..<10 { _ = await cluster.broadcast(try cluster.envelopes.envelope(tag: tag), to: follower) }
            try await cluster.waitForHeight(5)
            #expect(try await live.value == [1, 2, 3, 4])
        }
    }
}
