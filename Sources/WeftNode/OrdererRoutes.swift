import Logging
import Orderer
import Raft
import WeftCore
import WeftRPC
import Wire

/// The orderer's RPC handlers, each for the channel its request names: broadcast (the channel's
/// Writers), deliver and status (its Readers), the orderer-to-orderer messages (its consenters: Raft,
/// forwarded envelopes, block fetches), and channel participation (admins of the orderer's organization).
enum OrdererRoutes {
    static func make(channels: ChannelRegistry<OrdererChannel>, logger: Logger) -> RPCRoutes {
        var routes = RPCRoutes()
        let orderers = AllowedCallers.roles([.orderer])
        // A client (the channel's Writers), or a member's peer gateway on a client's behalf: the
        // broadcast checks authorize the envelope's creator (or a configuration update's signers).
        routes.unary(.broadcast, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: caller.role == .peer ? .readers : .writers)
            let response = await channel.node.broadcast(body)
            channel.metrics.broadcastAnswered(response.status)
            return response.canonicalBytes
        }
        routes.unary(.forwardEnvelope, allowed: orderers) { request, caller in
            let (channel, body, _) = try consenterRequest(request, caller: caller, channels: channels, for: .forwardEnvelope)
            return await channel.node.forwarded(body).canonicalBytes
        }
        routes.serverStream(.deliver, allowed: .anyMember) { request, caller, writer in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
            let start = try PeerRoutes.decode(StreamStart.self, body).start
            logger.debug("\(caller) pulls blocks of \(channel.channel.name) from \(start)")
            channel.metrics.deliverStreams.increment()
            defer { channel.metrics.deliverStreams.decrement() }
            for try await block in channel.node.deliver(from: start) {
                try await OrdererTracing.delivering(block, to: caller) { try await writer.send(block.canonicalBytes) }
            }
        }
        routes.unary(.ordererStatus, allowed: .anyMember) { request, caller in
            let (channel, _) = try channels.resolve(request, caller: caller, access: .readers)
            let status = await channel.node.status()
            return OrdererStatusReport(nodeID: status.id, height: status.tip.height, leader: status.leader ?? 0,
                                       term: status.term, isLeader: status.leader == status.id).canonicalBytes
        }
        routes.unary(.raftMessage, allowed: orderers) { request, caller in
            let (channel, body, consenter) = try await raftPeerRequest(request, caller: caller, channels: channels)
            var reader = ByteReader(body)
            let messages: [Message]
            do {
                messages = try reader.readArray(of: Message.self, minimumElementSize: 8)
                try reader.expectEnd()
            } catch {
                throw RPCError(.badRequest, "malformed Raft messages: \(error)")
            }
            // Raft trusts `from`: it must be the consenter this connection authenticated as.
            for sender in Set(messages.map(\.from)) where sender != consenter.raftID {
                throw RPCError(.permissionDenied, "\(caller) is consenter \(consenter.raftID) (\(consenter.name)) of channel '\(channel.channel.name)' and may not speak for Raft node \(sender)")
            }
            await channel.node.receive(messages)
            return []
        }
        routes.unary(.fetchBlocks, allowed: orderers) { request, caller in
            let (channel, body, _) = try consenterRequest(request, caller: caller, channels: channels, for: .fetchBlocks)
            let fetch = try PeerRoutes.decode(FetchBlocks.self, body)
            do {
                return BlockList(try channel.node.blocks(startingAt: fetch.start, maxCount: Int(min(fetch.maxCount, 64)))).canonicalBytes
            } catch {
                throw RPCError(.badRequest, "\(error)")
            }
        }
        routes.unary(.configBlock, allowed: orderers) { request, caller in
            let (channel, _, _) = try consenterRequest(request, caller: caller, channels: channels, for: .configBlock)
            return channel.configurationBlock
        }
        ChannelAdminRoutes.add(to: &routes, registry: channels) { _ in [] }
        return routes
    }
}

extension OrdererRoutes {
    /// A Raft message's channel, body and sender: a consenter, or one a configuration update removed
    /// while Raft's membership still names it (so a removed leader can hand its leadership over).
    static func raftPeerRequest(
        _ request: [UInt8], caller: Caller, channels: ChannelRegistry<OrdererChannel>
    ) async throws -> (OrdererChannel, [UInt8], ChannelConfiguration.Orderer) {
        do {
            return try consenterRequest(request, caller: caller, channels: channels, for: .raftMessage)
        } catch {
            guard error.code == .permissionDenied, let (channel, body) = try? channels.resolve(request, caller: caller, access: .readers),
                  let retired = channel.retired.consenter(tlsKeySHA256: ConsenterPin.keySHA256(of: caller.certificate)),
                  await channel.node.raftVoters.contains(retired.raftID) else { throw error }
            return (channel, body, retired)
        }
    }

    /// The channel, body and consenter of an orderer-to-orderer message, or a `permissionDenied`
    /// refusal: these messages come only from the channel's consenters, each over a TLS connection
    /// made with its pinned key.
    static func consenterRequest(
        _ request: [UInt8], caller: Caller, channels: ChannelRegistry<OrdererChannel>, for type: MessageType
    ) throws(RPCError) -> (OrdererChannel, [UInt8], ChannelConfiguration.Orderer) {
        let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
        guard let consenter = channel.channel.consenter(caller) else {
            throw RPCError(.permissionDenied, "\(type) is accepted only from a consenter of channel '\(channel.channel.name)'; \(caller) is not one (its TLS key is not pinned in the consenter set)")
        }
        return (channel, body, consenter)
    }
}
