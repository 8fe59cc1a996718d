import Committer
import Endorser
import Ledger
import Logging
import WeftCore
import WeftProtocol
import WeftRPC
import WeftTracing
import Wire

/// The peer's RPC handlers, each for the channel its request names: endorse (the channel's Writers),
/// evaluate, ledger queries, commit status and commit events (its Readers); and channel participation (admins of the
/// peer's organization), ledger administration (the same admins).
enum PeerRoutes {
    static func make(
        channels: ChannelRegistry<PeerChannel>, metrics: PeerMetrics, maintenance: LedgerMaintenance, gateway: PeerGateway, logger: Logger
    ) -> RPCRoutes {
        var routes = RPCRoutes()
        // Signature checks, simulation and signing block: they run on the blocking executor, each
        // holding one of the ledger's read slots. A client (the channel's Writers) asks, or another
        // organization's peer gateway (a member) on a client's behalf: the endorser checks that the
        // proposal's creator, who signed it, is a client or admin of a member organization.
        routes.unary(.endorse, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: caller.role == .peer ? .readers : .writers)
            let proposal = try decode(SignedProposal.self, body)
            return try await reading(channel.ledger) { metrics.endorsing { channel.endorser.endorse(proposal) }.canonicalBytes }
        }
        // The peer gateway (docs/wire.md): endorsement planned and gathered here, envelopes broadcast from here.
        routes.unary(.gatewayEndorse, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .writers)
            let proposal = try decode(SignedProposal.self, body)
            let chaincode = (try? proposal.proposal().chaincode) ?? ""
            let ledger = channel.ledger
            let definitions = (try? await ledger.runReading { try CommittedDefinitions.read(from: ledger) }) ?? []
            let plan = PeerGateway.plan(chaincode: chaincode, definitions: definitions, channel: channel.channel, localMSPID: channels.node.configuration.mspID)
            return try await gateway.endorse(proposal, channel: channel.channel, plan: plan) {
                try ProposalResponse(canonicalBytes: try await reading(ledger) { metrics.endorsing { channel.endorser.endorse(proposal) }.canonicalBytes })
            }.canonicalBytes
        }
        routes.unary(.gatewaySubmit, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .writers)
            return try await gateway.submit(body, channel: channel.channel).canonicalBytes
        }
        routes.unary(.evaluate, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
            let proposal = try decode(SignedProposal.self, body)
            return try await reading(channel.ledger) { channel.endorser.evaluate(proposal).canonicalBytes }
        }
        routes.unary(.ledgerQuery, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
            let query = try decode(LedgerQuery.self, body)
            let ledger = channel.ledger
            // A caller that cancels (or hangs up) stops its query at SQLite's next progress check.
            let budget = QueryBudget(seconds: LedgerSnapshot.richQueryBudgetSeconds)
            return try await withTaskCancellationHandler {
                try await reading(ledger) { try ledger.read { try $0.answer(query, budget: budget) }.canonicalBytes }
            } onCancel: {
                budget.cancel()
            }
        }
        // Answered from the ledger, at once or when a block commits the transaction (docs/wire.md).
        routes.unary(.commitStatus, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
            let asked = try decode(CommitStatusRequest.self, body)
            let milliseconds = min(asked.timeoutMilliseconds, CommitStatusRequest.maximumTimeoutMilliseconds)
            guard let status = await channel.commitWaiters.status(of: asked.txID, timeout: .milliseconds(Int64(milliseconds))) else {
                throw RPCError(.deadlineExceeded, "transaction \(asked.txID.prefix(80)) is not committed on channel \(channel.channel.name) after \(milliseconds) ms")
            }
            return status.canonicalBytes
        }
        let streams = StreamQuota(perIdentity: StreamQuota.defaultPerIdentity)
        routes.serverStream(.commitEvents, allowed: .anyMember) { request, caller, writer in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
            let start = try decode(StreamStart.self, body).start
            guard streams.acquire(for: caller) else {
                throw RPCError(.resourceExhausted, "\(caller) already has \(streams.perIdentity) commit-event streams open; close one first")
            }
            defer { streams.release(for: caller) }
            metrics.commitEventSubscribers.increment()
            defer { metrics.commitEventSubscribers.decrement() }
            logger.debug("\(caller) subscribed to commit events of \(channel.channel.name) from block \(start)")
            for try await events in channel.committer.events(from: start) {
                try await writer.send(events.canonicalBytes)
            }
        }
        // One chaincode's events, filtered here: a client that follows them gets no other traffic.
        routes.serverStream(.chaincodeEvents, allowed: .anyMember) { request, caller, writer in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
            let asked = try decode(ChaincodeEventsRequest.self, body)
            guard streams.acquire(for: caller) else {
                throw RPCError(.resourceExhausted, "\(caller) already has \(streams.perIdentity) event streams open; close one first")
            }
            defer { streams.release(for: caller) }
            for try await events in channel.committer.events(from: asked.start) {
                if let matching = events.filtered(toEventsOf: asked.chaincode) { try await writer.send(matching.canonicalBytes) }
            }
        }
        ChannelAdminRoutes.add(to: &routes, registry: channels) { name in
            let path = channels.node.ledgerPath(channel: name)
            return [path, path + "-wal", path + "-shm"]
        }
        LedgerAdminRoutes.add(to: &routes, channels: channels, maintenance: maintenance)
        return routes
    }

    /// Runs `work` holding one of `ledger`'s read slots, off Swift's cooperative pool; a ledger
    /// failure is the caller's (bad request) unless the ledger is busy or closed (unavailable).
    static func reading(_ ledger: Ledger, _ work: @escaping @Sendable () throws -> [UInt8]) async throws -> [UInt8] {
        do {
            return try await ledger.runReading(WeftTracing.bindingCurrentContext(work))
        } catch let error as LedgerError {
            switch error {
            case .busy, .closed: throw RPCError(.unavailable, error.description)
            default: throw RPCError(.badRequest, error.description)
            }
        }
    }

    /// Decodes a request body, or refuses it with the decoding error.
    static func decode<T: CanonicalDecodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        do {
            return try T(canonicalBytes: bytes)
        } catch {
            throw RPCError(.badRequest, "malformed \(T.self): \(error)")
        }
    }
}
