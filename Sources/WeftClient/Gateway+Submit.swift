#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftProtocol
import Tracing
import WeftCore
import WeftRPC
import WeftTracing
import Wire

extension Gateway {
    /// Submits a transaction from the client itself and waits until a peer reports it committed:
    /// endorses it at one peer of every organization in the profile, assembles the envelope, broadcasts
    /// it to an orderer (trying the next one when one is unavailable) and waits for its commit event.
    /// The profile must list the orderers and every organization's peers. Applications usually want
    /// `submit` instead (what `weft tx submit` and `weft bench e2e` use): one peer does the rest. This
    /// path is for choosing the endorsers (`endorsers`, as a lifecycle approval must), for endorsing
    /// at exactly the profile's organizations, and for measuring the gateway against it
    /// (`weft bench e2e --direct`).
    ///
    /// With tracing on (docs/operations.md, "Traces") the submit is the root span `tx.submit` of a new
    /// trace, with `tx.endorse`, `tx.broadcast` and `tx.commit_status` inside it; the RPC calls carry
    /// the trace to the peers and orderers.
    ///
    /// `endorsers` limits the organizations asked to endorse (MSP ids; default: every organization with
    /// peers) — an approval of the chaincode lifecycle is endorsed by the approving organization alone.
    public func submitDirect(
        chaincode: String, function: String, arguments: [[UInt8]], timeout: Duration = .seconds(30), endorsers: Set<String>? = nil
    ) async throws(GatewayError) -> SubmitResult {
        try await tracedSubmit(chaincode: chaincode, function: function, arguments: arguments) { proposal, txID throws(GatewayError) in
            try await submit(proposal, txID: txID, timeout: timeout, endorsers: endorsers)
        }
    }

    /// Signs the proposal and runs `body` on it as the root span `tx.submit` of a new trace, with the
    /// chaincode, function, txID, block and validation code as its attributes (both submit paths).
    func tracedSubmit(
        chaincode: String, function: String, arguments: [[UInt8]],
        _ body: (SignedProposal, String) async throws(GatewayError) -> SubmitResult
    ) async throws(GatewayError) -> SubmitResult {
        try await WeftTracing.withSpan("tx.submit", ofKind: .client, startsTrace: true) { span throws(GatewayError) in
            span?.attributes["weft.chaincode"] = chaincode
            span?.attributes["weft.function"] = function
            let proposal: SignedProposal
            do {
                proposal = try builder.proposal(chaincode: chaincode, function: function, arguments: arguments)
            } catch {
                throw .protocolError("could not sign the proposal: \(error)")
            }
            let txID = (try? proposal.proposal().header.txID) ?? ""
            span?.attributes["weft.tx_id"] = txID
            let result = try await body(proposal, txID)
            span?.attributes["weft.block_number"] = Int(clamping: result.blockNumber)
            span?.attributes["weft.validation_code"] = result.code.name
            return result
        }
    }

    private func submit(
        _ proposal: SignedProposal, txID: String, timeout: Duration, endorsers: Set<String>?
    ) async throws(GatewayError) -> SubmitResult {
        let responses = try await WeftTracing.withSpan("tx.endorse") { _ throws(GatewayError) in try await endorse(proposal, organizations: endorsers) }
        let envelope: Envelope
        do {
            envelope = try builder.envelope(for: proposal, responses: responses)
        } catch let error as EndorsementError {
            throw .endorsement(error)
        } catch {
            throw .protocolError("could not sign the envelope: \(error)")
        }
        let endorsed = try? responses[0].payload()
        let payload = endorsed?.response.payload ?? []

        // Listen (one shared stream per gateway, from the peer's current height) before broadcasting,
        // so the commit cannot be missed. (One `commitStatus` call per transaction instead costs its
        // peer about 0.15 ms of CPU per transaction more than this batched stream, and 10 % of the
        // saturated rate in `weft bench e2e`: docs/BENCHMARKS.md, session 7.)
        try await ensureListening()
        let deadline = ContinuousClock.now + timeout
        try await WeftTracing.withSpan("tx.broadcast") { _ throws(GatewayError) in try await broadcastRetrying(envelope, until: deadline) }
        let outcome = await WeftTracing.withSpan("tx.commit_status") { _ in
            await listener.outcome(of: txID, timeout: deadline - ContinuousClock.now)
        }
        guard let (block, code) = outcome else {
            throw .commitTimeout(txID: txID, seconds: Double(timeout.components.seconds))
        }
        return SubmitResult(txID: txID, blockNumber: block, code: code, payload: payload, event: endorsed?.event)
    }

    /// Where `txID` was committed, asked of a peer (the caller's organization's first) that answers
    /// from its ledger as soon as the transaction is there (`commitStatus`, docs/wire.md): one call,
    /// no block stream — what a client that tracks a few transactions, or one in another language,
    /// needs. Throws `commitTimeout` when the transaction is not committed by `deadline`.
    public func commitStatus(_ txID: String, until deadline: ContinuousClock.Instant, timeout: Duration) async throws(GatewayError) -> TransactionStatus {
        try await commitStatus(txID, at: try peers(), until: deadline, timeout: timeout)
    }

    /// `commitStatus` asked of `peers`, in turn while they cannot be reached.
    func commitStatus(
        _ txID: String, at peers: [ConnectionProfile.Peer], until deadline: ContinuousClock.Instant, timeout: Duration
    ) async throws(GatewayError) -> TransactionStatus {
        let remaining = max(deadline - ContinuousClock.now, .milliseconds(1))
        let milliseconds = UInt32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
        let request = CommitStatusRequest(txID: txID, timeoutMilliseconds: milliseconds)
        var answer: [UInt8]?
        var lastError = GatewayError.badProfile("the profile lists no peers")
        for peer in peers where answer == nil {
            do {
                let client = try await pool.client(name: peer.name, address: peer.address, role: .peer)
                answer = try await client.call(.commitStatus, scoped(request.canonicalBytes), timeout: .milliseconds(Int64(milliseconds) + 5_000))
            } catch let error as RPCError where error.code == .deadlineExceeded {
                throw .commitTimeout(txID: txID, seconds: Double(timeout.components.seconds))
            } catch let error as RPCError where error.code != .unavailable {
                throw .protocolError("\(peer.name): \(error)")
            } catch {
                lastError = .unreachable(node: peer.name, address: peer.address, reason: "\(error)")
            }
        }
        guard let bytes = answer else { throw lastError }
        do {
            return try TransactionStatus(canonicalBytes: bytes)
        } catch {
            throw .protocolError("commit status: \(error)")
        }
    }

    /// Opens the shared commit-event stream if it is not open, at the current height of the first peer
    /// that answers (the caller's organization first) — known before anything is broadcast, and replayed
    /// by the peer, so no commit is missed. The stream itself is opened once, by the listener, however
    /// many submits start at once; `events(from:)` opens it on the first peer that accepts, so a watched
    /// peer that goes down is replaced by another.
    func ensureListening() async throws(GatewayError) {
        guard await !listener.isListening else { return }
        guard case .info(let info) = try await query(.info) else { throw .protocolError("info") }
        await listener.startIfNeeded(from: info.height) { [weak self] start in
            guard let self else { throw CancellationError() }
            return try await self.events(from: start)
        }
    }

    /// A response from one peer of every organization that has peers (or of each of `organizations`),
    /// in profile order.
    func endorse(_ proposal: SignedProposal, organizations: Set<String>? = nil) async throws(GatewayError) -> [ProposalResponse] {
        var byOrganization: [String: [ConnectionProfile.Peer]] = [:]
        var order: [String] = []
        for peer in profile.peers(of: profile.channel) where organizations?.contains(peer.mspID) ?? true {
            if byOrganization[peer.mspID] == nil { order.append(peer.mspID) }
            byOrganization[peer.mspID, default: []].append(peer)
        }
        guard !order.isEmpty else {
            throw .badProfile("the profile lists no peer of \((organizations ?? []).sorted().joined(separator: ", ")) on channel \(profile.channel)")
        }
        let body = proposal.canonicalBytes
        var responses: [ProposalResponse] = []
        for mspID in order {
            let peers = byOrganization[mspID] ?? []
            let bytes = try await callPeer(peers, .endorse, body)
            guard let response = try? ProposalResponse(canonicalBytes: bytes) else { throw .protocolError("endorse response") }
            guard response.status == ChaincodeResponse.okStatus, response.endorsement != nil else {
                throw .endorsementFailed(peer: peers.map(\.name).joined(separator: "/"), status: response.status, message: response.message)
            }
            responses.append(response)
        }
        return responses
    }

    /// Broadcasts, trying all orderers again every 250 ms while they are unavailable (a leader election
    /// takes a second or two) until `deadline`. Refusals other than "unavailable" end at once.
    func broadcastRetrying(_ envelope: Envelope, until deadline: ContinuousClock.Instant) async throws(GatewayError) {
        try await broadcastRetrying(envelope.canonicalBytes, until: deadline)
    }

    /// Broadcasts `bytes` (an envelope or a configuration update) like `broadcastRetrying(_:until:)`.
    func broadcastRetrying(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) async throws(GatewayError) {
        while true {
            do {
                try await broadcast(bytes)
                return
            } catch {
                let retryable: Bool
                switch error {
                case .unreachable: retryable = true
                case .broadcastFailed(let status, _): retryable = status == .serviceUnavailable
                default: retryable = false
                }
                guard retryable, ContinuousClock.now + .milliseconds(250) < deadline else { throw error }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Sends `envelope` to the orderers in turn until one accepts it: the Raft leader first once it
    /// is known (`OrdererPreference`), so followers need not forward.
    func broadcast(_ bytes: [UInt8]) async throws(GatewayError) {
        var lastError = GatewayError.badProfile("the profile lists no orderers")
        for (attempt, orderer) in await ordererPreference.ordered(profile.orderers, name: \.name).enumerated() {
            if attempt == 1 { learnLeader(forgetting: true) }
            do {
                let client = try await pool.client(name: orderer.name, address: orderer.address, role: .orderer)
                let response = try await client.call(.broadcast, ChannelRequest(channel: profile.channel, body: bytes), as: BroadcastResult.self)
                if response.isSuccess {
                    if await !ordererPreference.knowsLeader { learnLeader(forgetting: false) }
                    return
                }
                lastError = .broadcastFailed(status: response.status, message: "\(orderer.name): \(response.message)")
                // Only "unavailable" (no leader yet, shutting down) is worth another orderer.
                if response.status != .serviceUnavailable { throw lastError }
            } catch let error as GatewayError {
                if case .broadcastFailed(let status, _) = error, status != .serviceUnavailable { throw error }
                lastError = error
            } catch {
                lastError = .unreachable(node: orderer.name, address: orderer.address, reason: "\(error)")
            }
        }
        throw lastError
    }

    /// Asks the orderers who leads, in the background (one refresh at a time). Detached: the refresh
    /// serves later submits too, so it is no part of the current one's trace.
    private func learnLeader(forgetting: Bool) {
        let addresses = Dictionary(profile.orderers.map { ($0.name, $0.address) }, uniquingKeysWith: { first, _ in first })
        let pool = pool
        let scope = scoped([])
        ordererPreference.learn(profile.orderers.map(\.name), forgetting: forgetting) { name in
            guard let address = addresses[name],
                  let client = try? await pool.client(name: name, address: address, role: .orderer),
                  let bytes = try? await client.call(.ordererStatus, scope, timeout: .seconds(2)) else { return nil }
            return try? OrdererStatusReport(canonicalBytes: bytes)
        }
    }
}
