import Foundation
import Orderer
import Raft
import WeftCore

/// Connects ordering nodes in one process. Each node has an inbox drained by one task, so messages to a
/// node arrive in the order they were sent (like one TCP connection); a node marked down receives and
/// sends nothing, and calls to it fail as a dead peer's would.
///
/// `@unchecked Sendable`: `nodes`, `inboxes`, `pumps` and `down` are only touched under `lock`.
final class InMemoryNetwork: @unchecked Sendable {
    struct Unreachable: Error, CustomStringConvertible {
        let node: NodeID
        var description: String { "orderer \(node) is unreachable" }
    }

    private let lock = NSLock()
    private var nodes: [NodeID: OrderingNode] = [:]
    private var inboxes: [NodeID: AsyncStream<[Message]>.Continuation] = [:]
    private var pumps: [NodeID: Task<Void, Never>] = [:]
    private var down: Set<NodeID> = []
    private var fetched = 0
    private var lyingSources: Set<NodeID> = []
    private var lossPercent = 0
    private var random = SplitMix64(seed: 0)

    /// Drops this share of Raft message batches from now on (0 to stop), drawn from a seeded generator.
    func loseMessages(percent: Int, seed: UInt64) {
        lock.lock()
        lossPercent = percent
        random = SplitMix64(seed: seed)
        lock.unlock()
    }

    /// Catch-up answers from `node` become a forged chain from now on: the same numbers, linked to the
    /// real previous block and each with a matching data hash, but other envelopes — so it ends at
    /// another hash than the real chain.
    func forgeFetchedBlocks(from node: NodeID) {
        lock.lock()
        lyingSources.insert(node)
        lock.unlock()
    }

    fileprivate func isLying(_ node: NodeID) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return lyingSources.contains(node)
    }

    /// How many blocks catch-up requests have fetched so far.
    var fetchedBlocks: Int {
        lock.lock()
        defer { lock.unlock() }
        return fetched
    }

    /// The transport a node with this id uses.
    func transport(for id: NodeID) -> Endpoint { Endpoint(network: self, from: id) }

    /// Connects `node`: messages to its id go to it from now on.
    func attach(_ node: OrderingNode) {
        let (stream, continuation) = AsyncStream.makeStream(of: [Message].self)
        let pump = Task {
            for await messages in stream { await node.receive(messages) }
        }
        lock.lock()
        nodes[node.id] = node
        inboxes[node.id] = continuation
        pumps[node.id] = pump
        down.remove(node.id)
        lock.unlock()
    }

    /// Disconnects node `id`, as if it crashed: nothing reaches it or leaves it any more.
    func detach(_ id: NodeID) {
        lock.lock()
        down.insert(id)
        let inbox = inboxes.removeValue(forKey: id)
        let pump = pumps.removeValue(forKey: id)
        nodes[id] = nil
        lock.unlock()
        inbox?.finish()
        pump?.cancel()
    }

    /// Disconnects every node.
    func shutdown() {
        lock.lock()
        let ids = Array(nodes.keys)
        lock.unlock()
        for id in ids { detach(id) }
    }

    fileprivate func deliver(_ messages: [Message], from sender: NodeID) {
        var byRecipient: [NodeID: [Message]] = [:]
        for message in messages { byRecipient[message.to, default: []].append(message) }
        lock.lock()
        let senderDown = down.contains(sender)
        let targets = byRecipient.sorted { $0.key < $1.key }.compactMap { id, batch in
            Int.random(in: 0..<100, using: &random) < lossPercent ? nil : inboxes[id].map { ($0, batch) }
        }
        lock.unlock()
        guard !senderDown else { return }
        for (inbox, batch) in targets { inbox.yield(batch) }
    }

    fileprivate func countFetched(_ count: Int) {
        lock.lock()
        fetched += count
        lock.unlock()
    }

    fileprivate func node(_ id: NodeID, calledBy caller: NodeID) throws -> OrderingNode {
        lock.lock()
        defer { lock.unlock() }
        guard !down.contains(caller), let node = nodes[id] else { throw Unreachable(node: id) }
        return node
    }

    struct Endpoint: RaftTransport {
        let network: InMemoryNetwork
        let from: NodeID

        func send(_ messages: [Message]) { network.deliver(messages, from: from) }

        func forward(_ envelope: [UInt8], to leader: NodeID) async throws -> BroadcastResponse {
            try await network.node(leader, calledBy: from).forwarded(envelope)
        }

        func fetchBlocks(from node: NodeID, startingAt number: UInt64, maxCount: Int) async throws -> [Block] {
            let blocks = try network.node(node, calledBy: from).blocks(startingAt: number, maxCount: maxCount)
            network.countFetched(blocks.count)
            return network.isLying(node) ? Self.forged(blocks) : blocks
        }

        private static func forged(_ blocks: [Block]) -> [Block] {
            var previous = blocks.first?.header.previousHash ?? []
            return blocks.map { block in
                let forged = Block(number: block.number, previousHash: previous, data: [[0x66, 0x6f, 0x72, 0x67, 0x65, 0x64]])
                previous = forged.header.hash
                return Block(header: forged.header, data: forged.data, metadata: block.metadata)
            }
        }
    }
}
