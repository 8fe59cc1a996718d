#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Orderer
import Raft
import WeftCore
import WeftCommandLine
import LocalOrdering

/// One run of `weft bench order`: three ordering nodes in this process with real files (fsync), the
/// system clock and real signature checks; `clients` tasks broadcast the envelopes round-robin to the
/// three nodes (two thirds are forwarded to the leader; after a 503 a client tries the next node),
/// keeping at most `window` envelopes broadcast but not yet delivered; one deliver stream on orderer 2
/// (a follower) timestamps each envelope's block. With `killLeaderAfter`, the leader (orderer 1) is
/// stopped once that many envelopes were delivered, and the pause in deliveries is measured.
struct OrderBenchRun {
    var envelopes: [[UInt8]]
    var material: OrderBenchMaterial
    var directory: String
    var clients: Int
    var window: Int
    var limits: BatchLimits
    var maxInflightBlocks: Int
    var killLeaderAfter: Int?

    struct Outcome {
        var seconds: Double
        var envelopes: Int
        var blocks: Int
        var latenciesNanoseconds: [UInt64]
        var refused: Int
        var retries: Int
        /// Whether the running orderers ended with the same tip.
        var tipsAgree: Bool
        /// CPU seconds the process used while ordering (all threads).
        var cpuSeconds: Double
        /// From stopping the leader to the next block delivered, when the leader was stopped.
        var failoverSeconds: Double?
    }

    func run() async throws -> Outcome {
        let ids: [NodeID] = [1, 2, 3]
        let network = LocalOrderingNetwork()
        var opened: [OrderingNode] = []
        for (offset, id) in ids.enumerated() {
            var configuration = OrderingConfiguration(
                nodeID: id, voters: ids, channelID: OrderBenchMaterial.channel, directory: "\(directory)/orderer\(id)",
                signer: material.orderers[offset], batchLimits: limits, validator: material.validator, writerMSPIDs: ["Org1MSP"])
            configuration.maxInflightBlocks = maxInflightBlocks
            let node = try OrderingNode(configuration: configuration, transport: network.transport(for: id))
            network.attach(node)
            opened.append(node)
        }
        let nodes = opened
        let runs = nodes.map { node in Task { try await node.run() } }
        defer { for run in runs { run.cancel() } }
        await nodes[0].campaign()
        while await nodes[0].status().role != .leader { try await Task.sleep(for: .milliseconds(20)) }

        let fingerprints = try Self.fingerprints(envelopes)
        let starts = StartTimes(count: envelopes.count)
        let window = BroadcastWindow(limit: window)
        let log = DeliveryLog(capacity: envelopes.count)
        let killAfter = killLeaderAfter ?? .max
        let began = DispatchTime.now().uptimeNanoseconds
        let cpuBefore = Self.processCPUSeconds()

        let consumer = Task { () -> UInt64? in
            var delivered = 0
            var killedAt: UInt64?
            do {
                for try await block in nodes[1].deliver(from: 0) {
                    let now = DispatchTime.now().uptimeNanoseconds
                    let indices = block.data.compactMap { fingerprints[Self.fingerprint($0)] }
                    log.delivered(block: indices.map { now - starts[$0] }, newestStart: indices.map { starts[$0] }.max() ?? 0, at: now)
                    delivered += indices.count
                    await window.release(block.data.count)
                    if killedAt == nil, delivered >= killAfter {
                        killedAt = DispatchTime.now().uptimeNanoseconds
                        network.detach(1)
                        await nodes[0].stop()
                        await window.reset()
                    }
                    if log.settledCount >= envelopes.count { break }
                }
            } catch {
                // Cancelled once the clients finished and deliveries stopped (envelopes lost with the leader).
            }
            return killedAt
        }
        await broadcastAll(nodes: nodes, window: window, starts: starts, log: log)
        // Every envelope is delivered or refused — or, after a leader was stopped, deliveries stop.
        while log.settledCount < envelopes.count {
            let quietSince = log.lastBlockTime ?? began
            let patience: UInt64 = killLeaderAfter == nil ? 10_000_000_000 : 3_000_000_000
            if DispatchTime.now().uptimeNanoseconds - quietSince > patience { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        consumer.cancel()
        let killedAt = await consumer.value
        let cpuSeconds = Self.processCPUSeconds() - cpuBefore
        let running = killedAt == nil ? nodes : Array(nodes.dropFirst())
        let tipsAgree = try await Self.waitForAgreement(running)
        for node in nodes { await node.stop() }
        await network.shutdown()

        let seen = log.snapshot
        let end = seen.blocks.last ?? DispatchTime.now().uptimeNanoseconds
        // The first block the new leader formed holds envelopes broadcast after the old one stopped.
        let failover = killedAt.flatMap { killed in log.firstBlock(withEnvelopeBroadcastAfter: killed).map { Double($0 - killed) / 1e9 } }
        return Outcome(
            seconds: Double(end - began) / 1e9, envelopes: seen.latencies.count, blocks: seen.blocks.count,
            latenciesNanoseconds: seen.latencies, refused: seen.refused, retries: seen.retries, tipsAgree: tipsAgree,
            cpuSeconds: cpuSeconds, failoverSeconds: failover)
    }

    /// The clients: each takes the next envelope, waits for room in the window, and broadcasts it.
    private func broadcastAll(nodes: [OrderingNode], window: BroadcastWindow, starts: StartTimes, log: DeliveryLog) async {
        let tickets = Tickets(count: envelopes.count)
        let envelopes = self.envelopes
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    while let index = tickets.next() {
                        await window.acquire()
                        starts[index] = DispatchTime.now().uptimeNanoseconds
                        var attempt = 0
                        var response = await nodes[index % nodes.count].broadcast(envelopes[index])
                        while response.status == .serviceUnavailable, attempt < 1_000 {
                            log.retried()
                            attempt += 1
                            try? await Task.sleep(for: .milliseconds(2))
                            response = await nodes[(index + attempt) % nodes.count].broadcast(envelopes[index])
                        }
                        if response.status != .success {
                            log.refusedOne()
                            await window.release(1)
                        }
                    }
                }
            }
        }
    }

    /// Waits (up to 10 s) until the nodes hold the same tip.
    private static func waitForAgreement(_ nodes: [OrderingNode]) async throws -> Bool {
        for _ in 0..<500 {
            if Set(nodes.map { $0.blockStore.tip }).count == 1 { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// CPU time this process has used so far (user + system, all threads), in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    /// A 64-bit fingerprint of an envelope: the last 8 bytes of its signature (random per signature).
    static func fingerprint(_ envelope: [UInt8]) -> UInt64 {
        envelope.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func fingerprints(_ envelopes: [[UInt8]]) throws -> [UInt64: Int] {
        var map: [UInt64: Int] = [:]
        map.reserveCapacity(envelopes.count)
        for (index, envelope) in envelopes.enumerated() {
            guard map.updateValue(index, forKey: fingerprint(envelope)) == nil else {
                throw CLIFailure(.other, "two benchmark envelopes share a fingerprint; run again")
            }
        }
        return map
    }
}
