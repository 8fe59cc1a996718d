#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Orderer
import Raft
import WeftCore
import WeftRPC
import Wire

/// The orderer's TCP transport for Raft: one authenticated connection per other orderer, a bounded
/// queue of outgoing Raft messages per destination (Raft tolerates loss, so a full queue drops the
/// oldest), envelope forwarding to the leader, and block fetches for catch-up.
final class OrdererLinks: RaftTransport, Sendable {
    private let queues: [NodeID: AsyncStream<[Message]>.Continuation]
    private let streams: [NodeID: AsyncStream<[Message]>]
    private let connections: OrdererConnections

    init(context: NodeContext, selfID: NodeID, logger: Logger) {
        var queues: [NodeID: AsyncStream<[Message]>.Continuation] = [:]
        var streams: [NodeID: AsyncStream<[Message]>] = [:]
        for orderer in context.configuration.channel.orderers where orderer.raftID != selfID {
            let (stream, continuation) = AsyncStream.makeStream(of: [Message].self, bufferingPolicy: .bufferingNewest(1024))
            queues[orderer.raftID] = continuation
            streams[orderer.raftID] = stream
        }
        self.queues = queues
        self.streams = streams
        connections = OrdererConnections(context: context, logger: logger)
    }

    func send(_ messages: [Message]) {
        var byDestination: [NodeID: [Message]] = [:]
        for message in messages { byDestination[message.to, default: []].append(message) }
        // Frames carry at most 16 MiB; a Ready's appends can add up to more, so split by bytes.
        for (destination, batch) in byDestination {
            for part in Message.batches(batch, maxBytes: Self.maximumRaftFrameBytes) { queues[destination]?.yield(part) }
        }
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

    /// Sends each destination's queued messages in order until cancelled.
    /// How many of the other orderers this one is connected to now.
    func connectedCount() async -> Int { await connections.openCount }

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for (destination, stream) in streams {
                group.addTask { await self.drain(stream, to: destination) }
            }
        }
    }

    private func drain(_ stream: AsyncStream<[Message]>, to destination: NodeID) async {
        for await batch in stream {
            var writer = ByteWriter()
            writer.write(batch)
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
