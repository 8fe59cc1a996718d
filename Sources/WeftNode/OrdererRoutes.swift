import Logging
import Orderer
import Raft
import WeftCore
import WeftRPC
import Wire

/// The orderer's RPC handlers: broadcast (clients), deliver and status (any member), and the
/// orderer-to-orderer messages (Raft, forwarded envelopes, block fetches).
enum OrdererRoutes {
    static func make(node: OrderingNode, context: NodeContext, metrics: OrdererMetrics, logger: Logger) -> RPCRoutes {
        var routes = RPCRoutes()
        let orderers = AllowedCallers.roles(["orderer"])
        routes.unary(.broadcast, allowed: .roles(["client", "admin"])) { request, _ in
            let response = await node.broadcast(request)
            metrics.broadcastAnswered(response.status)
            return result(response).canonicalBytes
        }
        routes.unary(.forwardEnvelope, allowed: orderers) { request, caller in
            try requireConsenter(caller, context: context, for: .forwardEnvelope)
            return result(await node.forwarded(request)).canonicalBytes
        }
        routes.serverStream(.deliver, allowed: .anyMember) { request, caller, writer in
            let start = try PeerRoutes.decode(StreamStart.self, request).start
            logger.debug("\(caller) pulls blocks from \(start)")
            metrics.deliverStreams.increment()
            defer { metrics.deliverStreams.decrement() }
            for try await block in node.deliver(from: start) {
                try await OrdererTracing.delivering(block, to: caller) { try await writer.send(block.canonicalBytes) }
            }
        }
        routes.unary(.ordererStatus, allowed: .anyMember) { _, _ in
            let status = await node.status()
            return OrdererStatusReport(nodeID: status.id, height: status.tip.height, leader: status.leader ?? 0,
                                       term: status.term, isLeader: status.leader == status.id).canonicalBytes
        }
        routes.unary(.raftMessage, allowed: orderers) { request, caller in
            var reader = ByteReader(request)
            let messages: [Message]
            do {
                messages = try reader.readArray(of: Message.self, minimumElementSize: 8)
                try reader.expectEnd()
            } catch {
                throw RPCError(.badRequest, "malformed Raft messages: \(error)")
            }
            // Raft trusts `from`: it must be the consenter this connection authenticated as.
            let consenter = try requireConsenter(caller, context: context, for: .raftMessage)
            for sender in Set(messages.map(\.from)) where sender != consenter.raftID {
                throw RPCError(.permissionDenied, "\(caller) is consenter \(consenter.raftID) (\(consenter.name)) and may not speak for Raft node \(sender)")
            }
            await node.receive(messages)
            return []
        }
        routes.unary(.fetchBlocks, allowed: orderers) { request, caller in
            try requireConsenter(caller, context: context, for: .fetchBlocks)
            let fetch = try PeerRoutes.decode(FetchBlocks.self, request)
            do {
                return BlockList(try node.blocks(startingAt: fetch.start, maxCount: Int(min(fetch.maxCount, 64)))).canonicalBytes
            } catch {
                throw RPCError(.badRequest, "\(error)")
            }
        }
        return routes
    }

    static func result(_ response: BroadcastResponse) -> BroadcastResult {
        BroadcastResult(status: UInt32(response.status.rawValue), message: response.message)
    }
}

extension OrdererRoutes {
    /// The consenter `caller` is, or a `permissionDenied` refusal: orderer-to-orderer messages come
    /// only from the consenter set, each over a TLS connection made with its pinned key.
    @discardableResult
    static func requireConsenter(_ caller: Caller, context: NodeContext, for type: MessageType) throws(RPCError) -> ChannelConfiguration.Orderer {
        guard let consenter = context.consenter(caller) else {
            throw RPCError(.permissionDenied, "\(type) is accepted only from a consenter of channel \(context.configuration.channel.id); \(caller) is not one (its TLS key is not pinned in the consenter set)")
        }
        return consenter
    }
}
