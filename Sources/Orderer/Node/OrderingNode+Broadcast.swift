import Raft
import WeftCore

// Broadcast: checks on the caller's task, then the leader's cutter — or the leader, through the transport.

extension OrderingNode {
    /// What the node decided about a checked envelope.
    enum OrderDecision: Sendable {
        /// This node leads and took the envelope into its cutter.
        case accepted
        /// Another node leads: forward the envelope there.
        case forward(NodeID)
        /// The envelope cannot be taken now (no leader, overloaded, stopped, or the cutter refused it).
        case refused(BroadcastResult)
    }

    /// Takes an envelope from a client: runs the broadcast checks (`BroadcastCheck`, on the caller's
    /// task, so many broadcasts are checked in parallel), then orders it here if this node leads or
    /// forwards it to the leader. `success` means the leader accepted it for ordering.
    public nonisolated func broadcast(_ envelope: [UInt8]) async -> BroadcastResult {
        let accepted: BroadcastCheck.Accepted
        do {
            accepted = try broadcastCheck.check(envelope)
        } catch {
            return error.response
        }
        // A follower that knows the leader forwards at once; otherwise the node decides on its actor.
        let decision: OrderDecision
        if let leader = leaderHint.current, leader != id {
            decision = .forward(leader)
        } else {
            decision = await order(envelope, txID: accepted.txID, forwarded: false, alone: accepted.isConfiguration)
        }
        switch decision {
        case .accepted:
            return acceptedResponse
        case .refused(let response):
            return response
        case .forward(let leader):
            do {
                return try await transport.forward(envelope, to: leader)
            } catch {
                return .unavailable("orderer \(id) could not reach the Raft leader (orderer \(leader)): \(error)")
            }
        }
    }

    /// Takes an envelope another orderer forwarded to this node as the leader (the transport calls
    /// this). The forwarding orderer's checks are not trusted: the envelope passes the same broadcast
    /// checks as a direct one, on the caller's task. A node that no longer leads answers 503; it
    /// never forwards again.
    public nonisolated func forwarded(_ envelope: [UInt8]) async -> BroadcastResult {
        let accepted: BroadcastCheck.Accepted
        do {
            accepted = try broadcastCheck.check(envelope)
        } catch {
            return error.response
        }
        return await orderForwarded(envelope, txID: accepted.txID, alone: accepted.isConfiguration)
    }

    private func orderForwarded(_ envelope: [UInt8], txID: String, alone: Bool) -> BroadcastResult {
        switch order(envelope, txID: txID, forwarded: true, alone: alone) {
        case .accepted: acceptedResponse
        case .refused(let response): response
        case .forward(let leader): .unavailable("orderer \(id) no longer leads; orderer \(leader) does")
        }
    }

    /// Puts a checked envelope (claiming `txID`) into the leader's cutter — `alone`, a configuration
    /// update, in a block of its own — or says where it should go.
    func order(_ envelope: [UInt8], txID: String, forwarded: Bool, alone: Bool = false) -> OrderDecision {
        if isStopped {
            return .refused(.unavailable("orderer \(id) has stopped" + (failure.map { ": \($0)" } ?? "")))
        }
        guard isConfiguredVoter else {
            // Leading or not, a removed node takes nothing more: what it took is ordered before it hands over.
            return .refused(.unavailable("orderer \(id) is no longer a consenter of channel \(configuration.channelID); send to another orderer"))
        }
        guard pipeline != nil else {
            if let leader = raft.leader, leader != id { return .forward(leader) }
            return .refused(.unavailable("no Raft leader is elected yet (orderer \(id) is \(raft.role)); retry shortly"))
        }
        let pending = (pipeline?.queuedEnvelopes ?? 0) + cutter.pending.count
        guard pending < configuration.maxPendingEnvelopes else {
            return .refused(.unavailable("the leader is overloaded: \(pending) envelopes wait to be ordered; retry later"))
        }
        let actions: [BlockCutter.Action]
        if alone {
            actions = cutter.orderAlone(envelope)
        } else {
            do {
                actions = try cutter.order(envelope)
            } catch {
                return .refused(BroadcastResult(status: error.status, message: error.description))
            }
        }
        arrivals.accepted(at: clock.now)
        configuration.observer.envelopeAccepted?(txID)
        let limit = currentBatchLimits.maxEnvelopeCount
        perform(actions) { $0.count >= limit ? .count : .bytes }
        if !(pipeline?.queued.isEmpty ?? true) { requestProcessing() }
        return .accepted
    }

    /// The batch timer of `generation` fired: cut the pending batch if it is still the current one.
    func batchTimerExpired(generation: UInt64) {
        guard !isStopped, pipeline != nil else { return }
        perform(cutter.timerExpired(generation: generation)) { _ in .timeout }
        requestProcessing()
    }

    /// Carries out the cutter's actions: queue cut batches for block formation (reporting each cut with
    /// the reason `reason` gives for it), arm the batch timer.
    func perform(_ actions: [BlockCutter.Action], reason: ([[UInt8]]) -> BlockCutReason) {
        for action in actions {
            switch action {
            case .cut(let batch):
                pipeline?.enqueue(batch)
                let why = reason(batch)
                configuration.observer.blockCut(why, batch.count, batch.reduce(0) { $0 + $1.count })
                configuration.observer.batchCut?(why, batch)
            case let .startTimer(generation, after):
                batchTimerRequests.yield(BatchTimer(generation: generation, deadline: clock.now + after))
            case .cancelTimer:
                break   // a stale timer is ignored when it fires (its generation is no longer current)
            }
        }
    }
}
