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
            return try await endorse(try decode(SignedProposal.self, body), on: channel, metrics: metrics).canonicalBytes
        }
        // The peer gateway (docs/wire.md): endorsement planned and gathered here, from the chaincode's
        // policy in force (the committer's), and envelopes broadcast from here.
        routes.unary(.gatewayEndorse, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .writers)
            let proposal = try decode(SignedProposal.self, body)
            let chaincode = (try? proposal.proposal().chaincode) ?? ""
            let check = channel.committer.currentRules.transactionCheck
            let plan = PeerGateway.plan(
                policy: check.policies[chaincode], hasContractPolicies: check.contractPolicies[chaincode] != nil,
                channel: channel.channel, localMSPID: channels.node.configuration.mspID)
            return try await gateway.endorse(proposal, channel: channel.channel, plan: plan) {
                try await endorse(proposal, on: channel, metrics: metrics)
            }.canonicalBytes
        }
        routes.unary(.gatewaySubmit, allowed: .anyMember) { request, caller in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .writers)
            return try await gateway.submit(body, channel: channel.channel, preference: channel.ordererPreference).canonicalBytes
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
        /// Streams the channel's commit events from `start` on, each as `select` makes it (nil: not
        /// sent), holding one of the caller's stream slots.
        @Sendable func follow(
            _ channel: PeerChannel, from start: UInt64, caller: Caller, writer: RPCStreamWriter, kind: String,
            _ select: @Sendable (BlockEvents) -> BlockEvents?
        ) async throws {
            guard streams.acquire(for: caller) else {
                throw RPCError(.resourceExhausted, "\(caller) already has \(streams.perIdentity) \(kind) streams open; close one first")
            }
            defer { streams.release(for: caller) }
            for try await events in channel.committer.events(from: start) {
                if let selected = select(events) { try await writer.send(selected.canonicalBytes) }
            }
        }
        routes.serverStream(.commitEvents, allowed: .anyMember) { request, caller, writer in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
            let start = try decode(StreamStart.self, body).start
            metrics.commitEventSubscribers.increment()
            defer { metrics.commitEventSubscribers.decrement() }
            logger.debug("\(caller) subscribed to commit events of \(channel.channel.name) from block \(start)")
            try await follow(channel, from: start, caller: caller, writer: writer, kind: "commit-event") { $0 }
        }
        // One chaincode's events, filtered here: a client that follows them gets no other traffic.
        routes.serverStream(.chaincodeEvents, allowed: .anyMember) { request, caller, writer in
            let (channel, body) = try channels.resolve(request, caller: caller, access: .readers)
            let asked = try decode(ChaincodeEventsRequest.self, body)
            try await follow(channel, from: asked.start, caller: caller, writer: writer, kind: "event") { $0.filtered(toEventsOf: asked.chaincode) }
        }
        ChannelAdminRoutes.add(to: &routes, registry: channels) { name in
            let path = channels.node.ledgerPath(channel: name)
            return [path, path + "-wal", path + "-shm"]
        }
        LedgerAdminRoutes.add(to: &routes, channels: channels, maintenance: maintenance)
        return routes
    }

    /// Endorses `proposal` on `channel`'s endorser, holding one of its ledger's read slots: for a client,
    /// another organization's gateway, or this peer's own gateway.
    static func endorse(_ proposal: SignedProposal, on channel: PeerChannel, metrics: PeerMetrics) async throws -> ProposalResponse {
        try await reading(channel.ledger) { metrics.endorsing { channel.endorser.endorse(proposal) } }
    }

    /// Runs `work` holding one of `ledger`'s read slots, off Swift's cooperative pool; a ledger
    /// failure is the caller's (bad request) unless the ledger is busy or closed (unavailable).
    static func reading<T: Sendable>(_ ledger: Ledger, _ work: @escaping @Sendable () throws -> T) async throws -> T {
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
