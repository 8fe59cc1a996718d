import NIOConcurrencyHelpers
import Orderer
import Raft
import WeftCore

/// Connects ordering nodes in one process. Each node has an inbox drained by one task, so messages to a
/// node arrive in the order they were sent (like one TCP connection) unless `reorderMessages` holds some
/// back; a node marked down receives and sends nothing, and calls to it fail as a dead peer's would.
/// `messagesInFlight` counts batches handed to an inbox and not yet received, so a test can wait for
/// delivery instead of sleeping. `weft bench order` and the orderer tests both run on it.
///
/// `@unchecked Sendable`: every stored property but `lock` is only touched under `lock`.
public final class LocalOrderingNetwork: @unchecked Sendable {
    struct Unreachable: Error, CustomStringConvertible {
        let node: NodeID
        var description: String { "orderer \(node) is unreachable" }
    }

    private let lock = NIOLock()
    private var nodes: [NodeID: OrderingNode] = [:]
    private var inboxes: [NodeID: AsyncStream<[Message]>.Continuation] = [:]
    private var pumps: [NodeID: Task<Void, Never>] = [:]
    private var down: Set<NodeID> = []
    private var fetched = 0
    private var lyingSources: Set<NodeID> = []
    private var lossPercent = 0
    private var reorderPercent = 0
    private var random = SplitMix64(seed: 0)
    /// Per node: batches in its inbox not yet received, and the attachment they belong to.
    private var inFlight: [NodeID: Int] = [:]
    private var generations: [NodeID: Int] = [:]
    private var nextGeneration = 0
    /// Per node: a batch held back, to be delivered after the next batch to it (or at `releaseHeldBack`).
    private var heldBack: [NodeID: [Message]] = [:]

    /// An empty network: no node attached, no loss, no reordering.
    public init() {}

    /// Drops this share of Raft message batches from now on (0 to stop), drawn from a seeded generator.
    public func loseMessages(percent: Int, seed: UInt64) {
        lock.lock()
        lossPercent = percent
        random = SplitMix64(seed: seed)
        lock.unlock()
    }

    /// From now on, holds back this share of Raft message batches (0 to stop), drawn from the seeded
    /// generator: a held batch reaches its node after the next batch to the same node, or at the next
    /// `releaseHeldBack()` — so messages to a node are reordered, never delayed past a tick.
    public func reorderMessages(percent: Int) {
        lock.lock()
        reorderPercent = percent
        lock.unlock()
    }

    /// Delivers every held-back batch now.
    public func releaseHeldBack() {
        lock.lock()
        let released = heldBack.compactMap { id, batch in inboxes[id].map { (id, $0, batch) } }
        heldBack = [:]
        for (id, _, _) in released { inFlight[id, default: 0] += 1 }
        lock.unlock()
        for (_, inbox, batch) in released { inbox.yield(batch) }
    }

    /// Batches handed to a live node's inbox that it has not received yet.
    public var messagesInFlight: Int {
        lock.lock()
        defer { lock.unlock() }
        return inFlight.values.reduce(0, +)
    }

    /// Catch-up answers from `node` become a forged chain from now on: the same numbers, linked to the
    /// real previous block and each with a matching data hash, but other envelopes — so it ends at
    /// another hash than the real chain.
    public func forgeFetchedBlocks(from node: NodeID) {
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
    public var fetchedBlocks: Int {
        lock.lock()
        defer { lock.unlock() }
        return fetched
    }

    /// The transport a node with this id uses.
    public func transport(for id: NodeID) -> Endpoint { Endpoint(network: self, from: id) }

    /// Connects `node`: messages to its id go to it from now on.
    public func attach(_ node: OrderingNode) {
        let (stream, continuation) = AsyncStream.makeStream(of: [Message].self)
        lock.lock()
        nextGeneration += 1
        let generation = nextGeneration
        generations[node.id] = generation
        inFlight[node.id] = 0
        lock.unlock()
        let pump = Task {
            for await messages in stream {
                await node.receive(messages)
                self.received(by: node.id, generation: generation)
            }
        }
        lock.lock()
        nodes[node.id] = node
        inboxes[node.id] = continuation
        pumps[node.id] = pump
        down.remove(node.id)
        lock.unlock()
    }

    private func received(by id: NodeID, generation: Int) {
        lock.lock()
        if generations[id] == generation, let count = inFlight[id], count > 0 { inFlight[id] = count - 1 }
        lock.unlock()
    }

    /// Disconnects node `id`, as if it crashed: nothing reaches it or leaves it any more.
    public func detach(_ id: NodeID) {
        lock.lock()
        down.insert(id)
        let inbox = inboxes.removeValue(forKey: id)
        let pump = pumps.removeValue(forKey: id)
        nodes[id] = nil
        inFlight[id] = nil
        generations[id] = nil
        heldBack[id] = nil
        lock.unlock()
        inbox?.finish()
        pump?.cancel()
    }

    /// Disconnects every node and waits until their inbox tasks have ended (a batch being received
    /// when this is called is received in full first).
    public func shutdown() async {
        lock.lock()
        let ids = Array(nodes.keys)
        let running = Array(pumps.values)
        lock.unlock()
        for id in ids { detach(id) }
        for pump in running { await pump.value }
    }

    fileprivate func deliver(_ messages: [Message], from sender: NodeID) {
        var byRecipient: [NodeID: [Message]] = [:]
        for message in messages { byRecipient[message.to, default: []].append(message) }
        lock.lock()
        guard !down.contains(sender) else {
            lock.unlock()
            return
        }
        var targets: [(AsyncStream<[Message]>.Continuation, [Message])] = []
        for (id, batch) in byRecipient.sorted(by: { $0.key < $1.key }) {
            guard Int.random(in: 0..<100, using: &random) >= lossPercent, let inbox = inboxes[id] else { continue }
            if heldBack[id] == nil, Int.random(in: 0..<100, using: &random) < reorderPercent {
                heldBack[id] = batch
                continue
            }
            targets.append((inbox, batch))
            inFlight[id, default: 0] += 1
            if let held = heldBack.removeValue(forKey: id) {
                targets.append((inbox, held))
                inFlight[id, default: 0] += 1
            }
        }
        lock.unlock()
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

    /// One node's view of the network: what it sends goes to the other nodes' inboxes.
    public struct Endpoint: RaftTransport {
        let network: LocalOrderingNetwork
        let from: NodeID

        /// Hands each recipient its batch (unless the sender is down, or the batch is lost or held back).
        public func send(_ messages: [Message]) { network.deliver(messages, from: from) }

        /// Calls the leader node directly; fails as a dead peer would when either side is down.
        public func forward(_ envelope: [UInt8], to leader: NodeID) async throws -> BroadcastResult {
            try await network.node(leader, calledBy: from).forwarded(envelope)
        }

        /// Reads blocks from `node`'s store directly (a forged chain if `forgeFetchedBlocks(from:)` named it).
        public func fetchBlocks(from node: NodeID, startingAt number: UInt64, maxCount: Int) async throws -> [Block] {
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
