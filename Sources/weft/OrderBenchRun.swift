import Foundation
import Orderer
import Raft
import WeftCore

/// One run of `weft bench order`: three ordering nodes in this process with real files (fsync), the
/// system clock and real signature checks; `clients` tasks broadcast the envelopes round-robin to the
/// three nodes (two thirds are forwarded to the leader), keeping at most `window` envelopes broadcast
/// but not yet delivered; one deliver stream on a follower timestamps each envelope's block.
struct OrderBenchRun {
    var envelopes: [[UInt8]]
    var material: OrderBenchMaterial
    var directory: String
    var clients: Int
    var window: Int
    var limits: BatchLimits
    var maxInflightBlocks: Int

    struct Outcome {
        var seconds: Double
        var envelopes: Int
        var blocks: Int
        var latenciesNanoseconds: [UInt64]
        var refused: Int
        var retries: Int
        var tipsAgree: Bool
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
        let tickets = Tickets(count: envelopes.count)
        let counters = Counters()
        let envelopes = self.envelopes
        let began = DispatchTime.now().uptimeNanoseconds

        let consumer = Task { () throws -> (latencies: [UInt64], blocks: Int, end: UInt64) in
            var latencies: [UInt64] = []
            latencies.reserveCapacity(envelopes.count)
            var blocks = 0
            for try await block in nodes[1].deliver(from: 0) {
                let now = DispatchTime.now().uptimeNanoseconds
                blocks += 1
                for envelope in block.data {
                    guard let index = fingerprints[Self.fingerprint(envelope)] else { continue }
                    latencies.append(now - starts[index])
                }
                await window.release(block.data.count)
                if latencies.count + counters.refused >= envelopes.count { return (latencies, blocks, now) }
            }
            return (latencies, blocks, DispatchTime.now().uptimeNanoseconds)
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    while let index = tickets.next() {
                        await window.acquire()
                        starts[index] = DispatchTime.now().uptimeNanoseconds
                        let envelope = envelopes[index]
                        let node = nodes[index % nodes.count]
                        var response = await node.broadcast(envelope)
                        while response.status == .serviceUnavailable {
                            counters.retried()
                            try? await Task.sleep(for: .milliseconds(2))
                            response = await node.broadcast(envelope)
                        }
                        if response.status != .success {
                            counters.refusedOne()
                            await window.release(1)
                        }
                    }
                }
            }
        }
        let delivered = try await consumer.value
        let tipsAgree = try await Self.waitForAgreement(nodes)
        for node in nodes { await node.stop() }
        await network.shutdown()
        return Outcome(
            seconds: Double(delivered.end - began) / 1e9, envelopes: delivered.latencies.count, blocks: delivered.blocks,
            latenciesNanoseconds: delivered.latencies, refused: counters.refused, retries: counters.retries, tipsAgree: tipsAgree)
    }

    /// Waits (up to 10 s) until the three nodes hold the same tip.
    private static func waitForAgreement(_ nodes: [OrderingNode]) async throws -> Bool {
        for _ in 0..<500 {
            let tips = Set(nodes.map { $0.blockStore.tip })
            if tips.count == 1 { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
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

/// When each envelope's broadcast began, written by the client tasks and read by the deliver task.
///
/// `@unchecked Sendable`: each slot is written once, by the one client that holds its ticket, before
/// the envelope is broadcast; the deliver task reads it only after the envelope came back in a block,
/// which the broadcast's actor hops order after the write.
private final class StartTimes: @unchecked Sendable {
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
/// `@unchecked Sendable`: `next` is only touched under `lock`.
private final class Tickets: @unchecked Sendable {
    private let lock = NSLock()
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

/// Refusals and retries of the broadcasts.
///
/// `@unchecked Sendable`: both counts are only touched under `lock`.
private final class Counters: @unchecked Sendable {
    private let lock = NSLock()
    private var refusedCount = 0
    private var retryCount = 0

    var refused: Int { lock.lock(); defer { lock.unlock() }; return refusedCount }
    var retries: Int { lock.lock(); defer { lock.unlock() }; return retryCount }
    func refusedOne() { lock.lock(); refusedCount += 1; lock.unlock() }
    func retried() { lock.lock(); retryCount += 1; lock.unlock() }
}

/// At most `limit` envelopes broadcast and not yet delivered: `acquire` waits for room.
private actor BroadcastWindow {
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
        used -= count
        while used < limit, !waiting.isEmpty {
            used += 1
            waiting.removeFirst().resume()
        }
    }
}
