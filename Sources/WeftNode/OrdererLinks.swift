#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOConcurrencyHelpers
import Orderer
import Raft
import WeftCore
import WeftRPC
import Wire

/// One channel's TCP transport for Raft: an outbox of outgoing Raft messages per destination,
/// envelope forwarding to the leader, and block fetches for catch-up, all over the node's
/// connections to the other orderers (one per orderer, shared by every channel; each message names
/// its channel).
///
/// Each destination has one `raftMessage` call in flight at a time; everything Raft produced
/// meanwhile goes out in the next call (`RaftOutbox`), so a link with a long round trip carries all
/// of it, not one `Ready` per round trip. A call that fails loses its messages (Raft resends what
/// matters) and the connection is dialled again.
final class OrdererLinks: RaftTransport, Sendable {
    private let live: LiveChannel
    private let retired: RetiredConsenters
    private let selfID: NodeID
    /// One outbox per destination, made on the first message to it (consenters come and go with
    /// configuration updates).
    private let outboxes = NIOLockedValueBox<[NodeID: PeerOutbox]>([:])
    /// Outboxes made since `run()` started draining the others.
    private let newOutboxes: AsyncStream<(NodeID, PeerOutbox)>
    private let announce: AsyncStream<(NodeID, PeerOutbox)>.Continuation
    private let connections: NodeConnections
    /// The configuration in force (consenters' addresses and pinned keys change with updates).
    private var channel: ChannelContext { live.current }

    init(live: LiveChannel, retired: RetiredConsenters, connections: NodeConnections, selfID: NodeID) {
        self.live = live
        self.retired = retired
        self.selfID = selfID
        self.connections = connections
        (newOutboxes, announce) = AsyncStream.makeStream(of: (NodeID, PeerOutbox).self)
        for orderer in live.current.configuration.orderers { _ = outbox(for: orderer.raftID) }
    }

    /// The outbox for `destination`, made (and announced to `run()`) on first use.
    private func outbox(for destination: NodeID) -> PeerOutbox? {
        guard destination != selfID else { return nil }
        let (outbox, isNew) = outboxes.withLockedValue { outboxes -> (PeerOutbox, Bool) in
            if let existing = outboxes[destination] { return (existing, false) }
            let made = PeerOutbox()
            outboxes[destination] = made
            return (made, true)
        }
        if isNew { announce.yield((destination, outbox)) }
        return outbox
    }

    /// The consenter with Raft id `node` (or the retired one, while Raft still talks to it).
    private func orderer(_ node: NodeID) throws -> ChannelConfiguration.Orderer {
        guard let orderer = channel.configuration.orderers.first(where: { $0.raftID == node }) ?? retired.consenter(raftID: node) else {
            throw RPCError(.badRequest, "no orderer with Raft id \(node) in channel '\(channel.name)'")
        }
        return orderer
    }

    private func scoped(_ body: [UInt8]) -> [UInt8] { ChannelRequest(channel: channel.name, body: body).canonicalBytes }

    /// Each other consenter's outbox: messages waiting, and messages dropped so far (a full outbox).
    var outboxDepths: [(destination: String, queued: Int, dropped: Int)] {
        let names = Dictionary(channel.configuration.orderers.map { ($0.raftID, $0.name) }, uniquingKeysWith: { first, _ in first })
        return outboxes.withLockedValue { $0 }.sorted { $0.key < $1.key }.map { id, outbox in
            let (queued, dropped) = outbox.depth
            return (names[id] ?? "Raft node \(id)", queued, dropped)
        }
    }

    func send(_ messages: [Message]) {
        var byDestination: [NodeID: [Message]] = [:]
        for message in messages { byDestination[message.to, default: []].append(message) }
        for (destination, batch) in byDestination { outbox(for: destination)?.append(batch) }
    }

    /// The byte budget of one `raftMessage` frame body: the 16 MiB frame limit less headroom (the
    /// channel's name travels in the frame too).
    static let maximumRaftFrameBytes = (16 << 20) - (64 << 10)

    func forward(_ envelope: [UInt8], to leader: NodeID) async throws -> BroadcastResult {
        let client = try await connections.client(for: orderer(leader), of: channel)
        return try BroadcastResult(canonicalBytes: try await client.call(.forwardEnvelope, scoped(envelope), timeout: .seconds(5)))
    }

    func fetchBlocks(from node: NodeID, startingAt number: UInt64, maxCount: Int) async throws -> [Block] {
        let client = try await connections.client(for: orderer(node), of: channel)
        let request = FetchBlocks(start: number, maxCount: UInt32(clamping: maxCount))
        return try await client.call(.fetchBlocks, ChannelRequest(channel: channel.name, body: request.canonicalBytes), as: BlockList.self, timeout: .seconds(10)).blocks
    }

    /// Sends each destination's queued messages until cancelled, a sender per destination (one more
    /// whenever a message goes to a new one).
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for await (destination, outbox) in newOutboxes {
                group.addTask { await self.drain(outbox, to: destination) }
            }
            group.cancelAll()
        }
    }

    private func drain(_ outbox: PeerOutbox, to destination: NodeID) async {
        for await _ in outbox.signals {
            while let frame = outbox.takeFrame(maxFrameBytes: Self.maximumRaftFrameBytes) {
                var writer = ByteWriter()
                writer.write(frame)
                do {
                    let client = try await connections.client(for: orderer(destination), of: channel)
                    _ = try await client.call(.raftMessage, scoped(writer.bytes), timeout: .seconds(2))
                } catch {
                    // The destination is down, slow or refuses this node: Raft resends what matters.
                    // Say why once per distinct reason (a TLS key that no longer matches its pin, say).
                    let orderer = try? orderer(destination)
                    await connections.report(error, destination: orderer?.name ?? "Raft node \(destination)")
                    if let orderer { await connections.drop(name: orderer.name, address: orderer.address) }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                if Task.isCancelled { return }
            }
        }
    }
}

/// The outgoing Raft messages for one other orderer, and the signal that wakes its sender.
private final class PeerOutbox: Sendable {
    private let outbox = NIOLockedValueBox(RaftOutbox())
    let signals: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init() {
        (signals, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func append(_ messages: [Message]) {
        outbox.withLockedValue { $0.append(messages) }
        wake.yield()
    }

    func takeFrame(maxFrameBytes: Int) -> [Message]? {
        outbox.withLockedValue { $0.takeFrame(maxFrameBytes: maxFrameBytes) }
    }

    /// Messages waiting, and messages dropped so far.
    var depth: (queued: Int, dropped: Int) { outbox.withLockedValue { ($0.count, $0.dropped) } }
}
