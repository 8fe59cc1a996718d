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

/// The orderer's TCP transport for Raft: one authenticated connection per other orderer, an outbox
/// of outgoing Raft messages per destination, envelope forwarding to the leader, and block fetches
/// for catch-up.
///
/// Each destination has one `raftMessage` call in flight at a time; everything Raft produced
/// meanwhile goes out in the next call (`RaftOutbox`), so a link with a long round trip carries all
/// of it, not one `Ready` per round trip. A call that fails loses its messages (Raft resends what
/// matters) and the connection is dialled again.
final class OrdererLinks: RaftTransport, Sendable {
    private let outboxes: [NodeID: PeerOutbox]
    private let connections: OrdererConnections

    init(context: NodeContext, selfID: NodeID, logger: Logger) {
        var outboxes: [NodeID: PeerOutbox] = [:]
        for orderer in context.configuration.channel.orderers where orderer.raftID != selfID {
            outboxes[orderer.raftID] = PeerOutbox()
        }
        self.outboxes = outboxes
        connections = OrdererConnections(context: context, logger: logger)
    }

    func send(_ messages: [Message]) {
        var byDestination: [NodeID: [Message]] = [:]
        for message in messages { byDestination[message.to, default: []].append(message) }
        for (destination, batch) in byDestination { outboxes[destination]?.append(batch) }
    }

    /// The byte budget of one `raftMessage` frame body: the 16 MiB frame limit less headroom.
    static let maximumRaftFrameBytes = (16 << 20) - (64 << 10)

    func forward(_ envelope: [UInt8], to leader: NodeID) async throws -> BroadcastResponse {
        let client = try await connections.client(for: leader)
        let result = try await client.call(.forwardEnvelope, envelope, timeout: .seconds(5))
        let decoded = try BroadcastResult(canonicalBytes: result)
        return BroadcastResponse(status: BroadcastStatus(rawValue: UInt16(clamping: decoded.status)) ?? .internalServerError, message: decoded.message)
    }

    func fetchBlocks(from node: NodeID, startingAt number: UInt64, maxCount: Int) async throws -> [Block] {
        let client = try await connections.client(for: node)
        let request = FetchBlocks(start: number, maxCount: UInt32(clamping: maxCount))
        return try await client.call(.fetchBlocks, request, as: BlockList.self, timeout: .seconds(10)).blocks
    }

    /// How many of the other orderers this one is connected to now.
    func connectedCount() async -> Int { await connections.openCount }

    /// Sends each destination's queued messages in order until cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for (destination, outbox) in outboxes {
                group.addTask { await self.drain(outbox, to: destination) }
            }
        }
    }

    private func drain(_ outbox: PeerOutbox, to destination: NodeID) async {
        for await _ in outbox.signals {
            while let frame = outbox.takeFrame(maxFrameBytes: Self.maximumRaftFrameBytes) {
                var writer = ByteWriter()
                writer.write(frame)
                do {
                    let client = try await connections.client(for: destination)
                    _ = try await client.call(.raftMessage, writer.bytes, timeout: .seconds(2))
                } catch {
                    // The destination is down, slow or refuses this node: Raft resends what matters.
                    // Say why once per distinct reason (a TLS key that no longer matches its pin, say).
                    await connections.report(error, destination: destination)
                    await connections.drop(destination)
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
}

/// Connections to the other orderers, opened on demand.
actor OrdererConnections {
    private let context: NodeContext
    private let logger: Logger
    private var clients: [NodeID: RPCClient] = [:]

    init(context: NodeContext, logger: Logger) {
        self.context = context
        self.logger = logger
    }

    /// How many of the other orderers this one has an open connection to.
    var openCount: Int { clients.values.filter(\.isOpen).count }

    func client(for node: NodeID) async throws -> RPCClient {
        if let client = clients[node], client.isOpen { return client }
        guard let orderer = context.configuration.channel.orderers.first(where: { $0.raftID == node }),
              let endpoint = Endpoint(orderer.address)
        else { throw RPCError(.badRequest, "no orderer with Raft id \(node) in the channel configuration") }
        let client = try await RPCClient.connect(
            host: endpoint.host, port: endpoint.port, security: context.security, serverName: orderer.name,
            authorizeServer: consenterAuthorizer(orderer), logger: logger)
        clients[node] = client
        lastReported[node] = nil
        return client
    }

    /// Accepts only the consenter `orderer`: an orderer whose TLS key is the one pinned for it.
    private func consenterAuthorizer(_ orderer: ChannelConfiguration.Orderer) -> Authorizer {
        let context = context
        let authorize = context.authorizer(requiring: .orderer)
        return { certificate in
            authorize(certificate).flatMap { caller in
                context.consenter(caller)?.raftID == orderer.raftID
                    ? .success(caller)
                    : .failure(AuthorizationRefusal("\(caller) is not consenter \(orderer.raftID) (\(orderer.name)) of the channel"))
            }
        }
    }

    private var lastReported: [NodeID: String] = [:]

    /// Logs why sending to `node` failed, once per distinct reason; connection refusals (a node that
    /// is down) at debug level, anything else (a refused TLS handshake) as a warning.
    func report(_ error: any Error, destination node: NodeID) {
        let reason = "\(error)"
        guard lastReported[node] != reason else { return }
        lastReported[node] = reason
        if let rpc = error as? RPCError, rpc.code == .unavailable {
            logger.debug("cannot reach Raft node \(node): \(reason)")
        } else {
            logger.warning("cannot send to Raft node \(node): \(reason)")
        }
    }

    func drop(_ node: NodeID) async {
        if let client = clients.removeValue(forKey: node) { await client.close() }
    }
}
