#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Raft
import WeftCore

/// A Raft cluster in one process for `weft bench raft`: each node runs on its own thread with a
/// `FileRaftStorage` (real files, real fsync) and an inbox; messages go straight to the peer's inbox.
/// Each node's loop steps everything in its inbox, then handles one `Ready` (persist, send, apply,
/// advance), so proposals and acknowledgements that arrive during an fsync share the next one.
final class RaftBenchNode: @unchecked Sendable {
    // @unchecked Sendable: `inbox`, `stopped` and `finished` are only touched with `condition` held;
    // every other property is touched only by the node's own thread (after `start`).
    private let condition = ThreadCondition()
    private var inbox: [Message] = []
    private var stopped = false

    private var raft: RaftNode
    private let storage: FileRaftStorage
    private var peers: [NodeID: RaftBenchNode] = [:]
    private let workload: RaftBenchWorkload?
    private var lastCompaction: UInt64 = 0
    private(set) var readies = 0
    private(set) var failure: String?

    init(id: NodeID, voters: [NodeID], directory: String, workload: RaftBenchWorkload?) throws {
        storage = try FileRaftStorage(directory: directory)
        let configuration = RaftConfiguration(id: id, voters: voters, maxInflightAppends: 64)
        raft = try RaftNode(configuration: configuration, restoring: storage.load(), random: SplitMix64(seed: id))
        self.workload = workload
    }

    func connect(_ peers: [NodeID: RaftBenchNode]) { self.peers = peers }

    func campaign() { raft.campaign() }

    func deliver(_ message: Message) {
        condition.lock()
        inbox.append(message)
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    func start() {
        DedicatedThread.start { self.run() }
    }

    private func run() {
        while true {
            condition.lock()
            while inbox.isEmpty, !stopped, !canPropose, !raft.hasReady { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let messages = inbox
            inbox = []
            condition.unlock()
            for message in messages { raft.step(message) }
            proposeIfLeading()
            do {
                try handleReady()
            } catch {
                failure = "\(error)"
                workload?.finish()
                return
            }
        }
    }

    private var canPropose: Bool { raft.role == .leader && workload?.hasWork == true }

    private func proposeIfLeading() {
        guard raft.role == .leader, let workload else { return }
        let batch = workload.nextBatch()
        guard !batch.isEmpty else { return }
        do {
            let last = try raft.propose(batch: batch)
            workload.proposed(count: batch.count, lastIndex: last)
        } catch {
            failure = "\(error)"
        }
    }

    private func handleReady() throws {
        guard let ready = raft.ready() else { return }
        readies += 1
        try storage.save(ready)
        for message in ready.messages { peers[message.to]?.deliver(message) }
        if let workload, raft.role == .leader {
            workload.committed(ready.committedEntries.filter { $0.kind == .normal }.map(\.index))
        }
        raft.advance(ready)
        let applied = raft.status.appliedIndex
        if applied >= lastCompaction + 5_000 {
            var writer = [UInt8]()
            withUnsafeBytes(of: applied.bigEndian) { writer.append(contentsOf: $0) }
            try storage.compact(to: raft.compact(through: applied, data: writer))
            lastCompaction = applied
        }
    }
}

/// The leader's load: envelopes of a fixed size, at most `window` uncommitted at once, with the time
/// each was created so that commit latency can be measured.
final class RaftBenchWorkload: @unchecked Sendable {
    // @unchecked Sendable: used only by the leader's thread, except `finish`/`waitUntilDone`, which
    // go through `done` (a semaphore).
    let total: Int
    let envelopeSize: Int
    let window: Int
    private var created = 0
    private var outstanding = 0
    private var startTimes: [UInt64: UInt64] = [:]
    private var pendingStarts: [UInt64] = []
    private(set) var latenciesNanoseconds: [UInt64] = []
    private(set) var committedCount = 0
    private let done = DispatchSemaphore(value: 0)

    init(total: Int, envelopeSize: Int, window: Int) {
        self.total = total
        self.envelopeSize = envelopeSize
        self.window = window
    }

    var hasWork: Bool { created < total && outstanding < window }

    func nextBatch() -> [[UInt8]] {
        let count = min(window - outstanding, total - created)
        guard count > 0 else { return [] }
        let now = DispatchTime.now().uptimeNanoseconds
        var batch: [[UInt8]] = []
        batch.reserveCapacity(count)
        for _ in 0..<count {
            var envelope = [UInt8](repeating: 0x5a, count: envelopeSize)
            withUnsafeBytes(of: UInt64(created).bigEndian) { envelope.replaceSubrange(0..<8, with: $0) }
            batch.append(envelope)
            created += 1
            pendingStarts.append(now)
        }
        return batch
    }

    func proposed(count: Int, lastIndex: UInt64) {
        let first = lastIndex - UInt64(count) + 1
        for (offset, start) in pendingStarts.suffix(count).enumerated() { startTimes[first + UInt64(offset)] = start }
        pendingStarts.removeAll()
        outstanding += count
    }

    func committed(_ indices: [UInt64]) {
        guard !indices.isEmpty else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        for index in indices {
            guard let start = startTimes.removeValue(forKey: index) else { continue }
            latenciesNanoseconds.append(now - start)
            committedCount += 1
            outstanding -= 1
        }
        if committedCount >= total { done.signal() }
    }

    func finish() { done.signal() }

    func waitUntilDone() { done.wait() }
}
