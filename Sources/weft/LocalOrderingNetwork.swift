#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import Orderer
import Raft
import WeftCore

/// Connects the ordering nodes of `weft bench order` inside one process: each node has an inbox of
/// Raft message batches drained by one task (in order, like one TCP connection); forwarded envelopes
/// and catch-up requests are direct calls on the recipient node.
///
/// `@unchecked Sendable`: `nodes`, `inboxes` and `pumps` are only touched under `lock`.
final class LocalOrderingNetwork: @unchecked Sendable {
    struct Unreachable: Error, CustomStringConvertible {
        let node: NodeID
        var description: String { "orderer \(node) is not attached" }
    }

    private let lock = NIOLock()
    private var nodes: [NodeID: OrderingNode] = [:]
    private var inboxes: [NodeID: AsyncStream<[Message]>.Continuation] = [:]
    private var pumps: [Task<Void, Never>] = []

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
        pumps.append(pump)
        lock.unlock()
    }

    /// Disconnects node `id`, as if it crashed: nothing reaches it any more.
    func detach(_ id: NodeID) {
        lock.lock()
        let inbox = inboxes.removeValue(forKey: id)
        nodes[id] = nil
        lock.unlock()
        inbox?.finish()
    }

    /// Disconnects every node and ends the inbox tasks.
    func shutdown() async {
        let (inboxes, pumps) = detachAll()
        for inbox in inboxes { inbox.finish() }
        for pump in pumps { await pump.value }
    }

    private func detachAll() -> ([AsyncStream<[Message]>.Continuation], [Task<Void, Never>]) {
        lock.lock()
        defer { lock.unlock() }
        let detached = (Array(inboxes.values), pumps)
        inboxes = [:]
        pumps = []
        nodes = [:]
        return detached
    }

    private func deliver(_ messages: [Message]) {
        var byRecipient: [NodeID: [Message]] = [:]
        for message in messages { byRecipient[message.to, default: []].append(message) }
        lock.lock()
        let targets = byRecipient.compactMap { id, batch in inboxes[id].map { ($0, batch) } }
        lock.unlock()
        for (inbox, batch) in targets { inbox.yield(batch) }
    }

    private func node(_ id: NodeID) throws -> OrderingNode {
        lock.lock()
        defer { lock.unlock() }
        guard let node = nodes[id] else { throw Unreachable(node: id) }
        return node
    }

    struct Endpoint: RaftTransport {
        let network: LocalOrderingNetwork
        let from: NodeID

        func send(_ messages: [Message]) { network.deliver(messages) }

        func forward(_ envelope: [UInt8], to leader: NodeID) async throws -> BroadcastResponse {
            try await network.node(leader).forwarded(envelope)
        }

        func fetchBlocks(from node: NodeID, startingAt number: UInt64, maxCount: Int) async throws -> [Block] {
            try network.node(node).blocks(startingAt: number, maxCount: maxCount)
        }
    }
}
