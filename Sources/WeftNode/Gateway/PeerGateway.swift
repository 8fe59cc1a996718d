import Identity
import Ledger
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
    let node: NodeContext
    let connections: GatewayConnections
    let logger: Logger

    /// Another organization's peer to endorse at.
    struct Endorser: Sendable, Equatable {
        var organization: String
        var name: String
        var address: String
    }

    /// The organizations (policy names) whose endorsements the chaincode's policy needs, this peer's
    /// first, each with its anchor peers: this peer's organization, then others in the configuration's
    /// order until the policy is satisfied — every organization with anchor peers when no smaller set
    /// is, when the definition has contract policies (writes may need them), or when the policy is
    /// unknown.
    static func plan(
        chaincode: String, definitions: [ChaincodeDefinition], channel: ChannelContext, localMSPID: String
    ) -> [(organization: String, peers: [Endorser])] {
        let organizations = channel.config.organizations.filter { !$0.isOrdererOrganization }
        let local = organizations.first { $0.mspID == localMSPID }
        let others = organizations.filter { $0.mspID != localMSPID && !$0.anchorPeers.isEmpty }
        let candidates = others.map { organization in
            (organization: organization.name, peers: organization.anchorPeers.map { Endorser(organization: organization.name, name: $0.name, address: $0.address) })
        }
        let definition = definitions.first { $0.name == chaincode }
        let text = definition?.policy ?? channel.config.chaincodes.first { $0.name == chaincode }?.policy
        guard let local, let text, let policy = try? EndorsementPolicy(text), definition?.contractPolicies.isEmpty ?? true else {
            return [(local?.name ?? localMSPID, [])] + candidates
        }
        let names = organizations.map(\.name)
        var chosen: [(organization: String, peers: [Endorser])] = [(local.name, [])]
        var approving: Set<String> = [local.name]
        for candidate in candidates where !policy.isSatisfied(byOrganizations: approving, organizations: names) {
            chosen.append(candidate)
            approving.insert(candidate.organization)
        }
        return policy.isSatisfied(byOrganizations: approving, organizations: names) ? chosen : [(local.name, [])] + candidates
    }

    /// Endorses `proposal` as planned: `local` endorses here, the other organizations' peers over
    /// their TLS port, all at once. Throws a refusal naming the organization that did not endorse, or
    /// whose result differs from this peer's.
    func endorse(
        _ proposal: SignedProposal, channel: ChannelContext, plan: [(organization: String, peers: [Endorser])],
        local: @escaping @Sendable () async throws -> ProposalResponse
    ) async throws -> EndorsementResponses {
        let body = ChannelRequest(channel: channel.name, body: proposal.canonicalBytes).canonicalBytes
        let responses = try await withThrowingTaskGroup(of: (Int, ProposalResponse).self) { group in
            for (position, step) in plan.enumerated() {
                group.addTask {
                    if position == 0 { return (0, try await local()) }
                    return (position, try await endorseRemotely(body, at: step.peers, organization: step.organization, channel: channel))
                }
            }
            var collected: [ProposalResponse?] = Array(repeating: nil, count: plan.count)
            for try await (position, response) in group { collected[position] = response }
            return collected.compactMap { $0 }
        }
        // A refusal is returned as it is (the client reports its status and message); endorsements that
        // disagree are not.
        let endorsed = responses.enumerated().filter { $0.element.status == ChaincodeResponse.okStatus && $0.element.endorsement != nil }
        if let first = endorsed.first, let differing = endorsed.first(where: { $0.element.payloadBytes != first.element.payloadBytes }) {
            throw RPCError(.badRequest, "\(plan[differing.offset].organization)'s result differs from \(plan[first.offset].organization)'s (a nondeterministic chaincode, or the peers' ledgers differ)")
        }
        return EndorsementResponses(responses)
    }

    /// The response of the first of `peers` (one organization's) that answers.
    private func endorseRemotely(_ body: [UInt8], at peers: [Endorser], organization: String, channel: ChannelContext) async throws -> ProposalResponse {
        var reasons: [String] = []
        for peer in peers {
            do {
                let client = try await connections.peer(peer, mspID: mspID(of: organization, in: channel))
                return try ProposalResponse(canonicalBytes: try await client.call(.endorse, body, timeout: .seconds(30)))
            } catch let error as RPCError where error.code != .unavailable && error.code != .deadlineExceeded {
                throw RPCError(error.code, "\(peer.name) of \(organization) refused to endorse: \(error.message)")
            } catch {
                await connections.drop(peer.name, address: peer.address)
                reasons.append("\(peer.name) (\(peer.address)): \(error)")
            }
        }
        throw RPCError(.unavailable, "no peer of \(organization) endorsed: \(reasons.joined(separator: "; "))")
    }

    private func mspID(of organization: String, in channel: ChannelContext) -> String {
        channel.config.organizations.first { $0.name == organization }?.mspID ?? organization
    }

    /// Broadcasts `envelope` to the channel's orderers: the one that answered last first, the next one
    /// while they answer 503 or cannot be reached, for up to `patience`. Returns the orderer's answer.
    func submit(_ envelope: [UInt8], channel: ChannelContext, patience: Duration = .seconds(10)) async throws -> BroadcastResult {
        let deadline = ContinuousClock.now + patience
        var last = BroadcastResult(status: 503, message: "channel \(channel.name) has no orderer")
        while true {
            for orderer in await connections.orderersByPreference(channel.configuration.orderers) {
                do {
                    let client = try await connections.orderer(orderer, of: channel)
                    let result = try BroadcastResult(canonicalBytes: try await client.call(
                        .broadcast, ChannelRequest(channel: channel.name, body: envelope).canonicalBytes, timeout: .seconds(10)))
                    guard result.status == 503 else {
                        await connections.prefer(orderer.name)
                        return result
                    }
                    last = result
                } catch {
                    await connections.drop(orderer.name, address: orderer.address)
                    last = BroadcastResult(status: 503, message: "\(orderer.name): \(error)")
                }
            }
            guard ContinuousClock.now + .milliseconds(250) < deadline else { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
