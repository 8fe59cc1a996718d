import Logging
import Orderer
import Raft
import WeftCore
import WeftRPC
import Wire

/// The orderer's RPC handlers: broadcast (clients), deliver and status (any member), and the
/// orderer-to-orderer messages (Raft, forwarded envelopes, block fetches).
enum OrdererRoutes {
    static func make(node: OrderingNode, context: NodeContext, logger: Logger) -> RPCRoutes {
        var routes = RPCRoutes()
        let orderers = AllowedCallers.roles(["orderer"])
        routes.unary(.broadcast, allowed: .roles(["client", "admin"])) { request, _ in
            result(await node.broadcast(request)).canonicalBytes
        }
        routes.unary(.forwardEnvelope, allowed: orderers) { request, _ in
            result(await node.forwarded(request)).canonicalBytes
        }
        routes.serverStream(.deliver, allowed: .anyMember) { request, caller, writer in
            let start = try PeerRoutes.decode(StreamStart.self, request).start
            logger.debug("\(caller) pulls blocks from \(start)")
            for try await block in node.deliver(from: start) {
                try await writer.send(block.canonicalBytes)
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
            // Raft trusts `from`: it must be the orderer this connection authenticated as.
            let senders = Set(messages.map(\.from))
            for sender in senders where !context.isOrderer(caller, raftID: sender) {
                throw RPCError(.permissionDenied, "\(caller) may not speak for Raft node \(sender)")
            }
            await node.receive(messages)
            return []
        }
        routes.unary(.fetchBlocks, allowed: orderers) { request, _ in
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

extension NodeContext {
    /// Whether `caller` is the orderer the channel configuration lists with `raftID` (its certificate's
    /// common name is the orderer's name).
    func isOrderer(_ caller: Caller, raftID: UInt64) -> Bool {
        guard caller.role == "orderer",
              let orderer = configuration.channel.orderers.first(where: { $0.raftID == raftID })
        else { return false }
        return caller.certificate.subject.commonName == orderer.name
    }
}
