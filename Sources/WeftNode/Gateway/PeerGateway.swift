import Identity
import Logging
import WeftCore
import WeftProtocol
import WeftRPC
import Wire

/// The peer's gateway (docs/wire.md, "The peer gateway"), as Fabric's Gateway service: a client
/// talks to one peer, which plans the endorsement from the chaincode's policy, endorses locally and at
/// a peer of each other organization it needs **in parallel** (trying the organization's next anchor
/// peer when one fails), checks that the results agree, and broadcasts the envelope the client signed
/// to an orderer (the next one while they are unavailable). The client then asks `commitStatus`.
struct PeerGateway: Sendable {
    let connections: NodeConnections

    init(connections: NodeConnections) {
        self.connections = connections
    }

    /// One organization whose endorsement the plan asks for, and its anchor peers (none for this
    /// peer's own organization: it endorses itself).
    struct Step: Sendable {
        /// The organization's policy name.
        var organization: String
        var mspID: String
        var peers: [ChannelConfig.AnchorPeer]
    }

    /// The organizations whose endorsements `policy` (the chaincode's, in force) needs, this peer's
    /// first: this peer's organization, then others in the configuration's order until the policy is
    /// satisfied — every organization with anchor peers when no smaller set is, when the chaincode
    /// has contract policies (writes may need them), or when there is no policy.
    static func plan(
        policy: EndorsementPolicy?, hasContractPolicies: Bool, channel: ChannelContext, localMSPID: String
    ) -> [Step] {
        let organizations = channel.config.organizations.filter { !$0.isOrdererOrganization }
        let local = Step(organization: organizations.first { $0.mspID == localMSPID }?.name ?? localMSPID, mspID: localMSPID, peers: [])
        let candidates = organizations.filter { $0.mspID != localMSPID && !$0.anchorPeers.isEmpty }
            .map { Step(organization: $0.name, mspID: $0.mspID, peers: $0.anchorPeers) }
        guard let policy, !hasContractPolicies else { return [local] + candidates }
        let names = organizations.map(\.name)
        var chosen = [local]
        var approving: Set<String> = [local.organization]
        for candidate in candidates where !policy.isSatisfied(byOrganizations: approving, organizations: names) {
            chosen.append(candidate)
            approving.insert(candidate.organization)
        }
        return policy.isSatisfied(byOrganizations: approving, organizations: names) ? chosen : [local] + candidates
    }

    /// Endorses `proposal` as planned: `local` endorses here, the other organizations' peers over
    /// their TLS port, all at once. A refusal comes back as it is (the client reports its status and
    /// message); endorsements whose results differ are refused here.
    func endorse(
        _ proposal: SignedProposal, channel: ChannelContext, plan: [Step], local: @escaping @Sendable () async throws -> ProposalResponse
    ) async throws -> EndorsementResponses {
        let body = ChannelRequest(channel: channel.name, body: proposal.canonicalBytes).canonicalBytes
        let responses = try await withThrowingTaskGroup(of: (Int, ProposalResponse).self) { group in
            for (position, step) in plan.enumerated() {
                group.addTask {
                    (position, position == 0 ? try await local() : try await endorseRemotely(body, at: step))
                }
            }
            var collected: [ProposalResponse?] = Array(repeating: nil, count: plan.count)
            for try await (position, response) in group { collected[position] = response }
            return collected.compactMap { $0 }
        }
        let endorsed = responses.enumerated().filter { $0.element.status == ChaincodeResponse.okStatus && $0.element.endorsement != nil }
        if let first = endorsed.first, let differing = endorsed.first(where: { $0.element.payloadBytes != first.element.payloadBytes }) {
            throw RPCError(.badRequest, "\(plan[differing.offset].organization)'s result differs from \(plan[first.offset].organization)'s (a nondeterministic chaincode, or the peers' ledgers differ)")
        }
        return EndorsementResponses(responses)
    }

    /// The response of the first of `step`'s anchor peers that answers.
    private func endorseRemotely(_ body: [UInt8], at step: Step) async throws -> ProposalResponse {
        var reasons: [String] = []
        for peer in step.peers {
            do {
                let client = try await connections.peer(name: peer.name, address: peer.address, mspID: step.mspID)
                return try ProposalResponse(canonicalBytes: try await client.call(.endorse, body, timeout: .seconds(30)))
            } catch let error as RPCError where error.code != .unavailable && error.code != .deadlineExceeded {
                throw RPCError(error.code, "\(peer.name) of \(step.organization) refused to endorse: \(error.message)")
            } catch {
                await connections.drop(name: peer.name, address: peer.address)
                reasons.append("\(peer.name) (\(peer.address)): \(error)")
            }
        }
        throw RPCError(.unavailable, "no peer of \(step.organization) endorsed: \(reasons.joined(separator: "; "))")
    }

    /// Broadcasts `envelope` to the channel's orderers: the Raft leader first once `preference` (the
    /// channel's) knows it — a follower would forward each envelope to it — the next one while they
    /// answer 503 or cannot be reached, for up to `patience`. Returns the answer.
    func submit(
        _ envelope: [UInt8], channel: ChannelContext, preference: OrdererPreference, patience: Duration = .seconds(10)
    ) async throws -> BroadcastResult {
        let deadline = ContinuousClock.now + patience
        let request = ChannelRequest(channel: channel.name, body: envelope).canonicalBytes
        var last = BroadcastResult.unavailable("channel \(channel.name) has no orderer")
        while true {
            for (attempt, orderer) in await preference.ordered(channel.configuration.orderers, name: \.name).enumerated() {
                if attempt == 1 { learnLeader(of: channel, into: preference, forgetting: true) }
                do {
                    let client = try await connections.client(for: orderer, of: channel)
                    let result = try BroadcastResult(canonicalBytes: try await client.call(.broadcast, request, timeout: .seconds(10)))
                    guard result.status == .serviceUnavailable else {
                        if result.isSuccess, await !preference.knowsLeader { learnLeader(of: channel, into: preference, forgetting: false) }
                        return result
                    }
                    last = result
                } catch {
                    await connections.drop(name: orderer.name, address: orderer.address)
                    last = .unavailable("\(orderer.name): \(error)")
                }
            }
            guard ContinuousClock.now + .milliseconds(250) < deadline else { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Asks `channel`'s orderers who leads, in the background (one refresh at a time).
    private func learnLeader(of channel: ChannelContext, into preference: OrdererPreference, forgetting: Bool) {
        let orderers = channel.configuration.orderers
        let (connections, scope) = (connections, ChannelRequest(channel: channel.name, body: []).canonicalBytes)
        preference.learn(orderers.map(\.name), forgetting: forgetting) { name in
            guard let orderer = orderers.first(where: { $0.name == name }),
                  let client = try? await connections.client(for: orderer, of: channel),
                  let bytes = try? await client.call(.ordererStatus, scope, timeout: .seconds(2)) else { return nil }
            return try? OrdererStatusReport(canonicalBytes: bytes)
        }
    }
}
