#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftProtocol
import WeftCore
import WeftRPC
import WeftTracing
import Wire

extension Gateway {
    /// Submits a transaction through one peer's gateway (docs/wire.md, "The peer gateway"): the peer
    /// plans and gathers the endorsements (`gatewayEndorse`), the client signs the envelope, the peer
    /// broadcasts it (`gatewaySubmit`), and the same peer answers when it is committed
    /// (`commitStatus`). One connection, to one peer — the caller's organization's first that
    /// answers — is all it takes: the profile needs no orderer and no other organization's peer.
    ///
    /// Traced like `submitDirect`: the root span `tx.submit`, with `tx.endorse`, `tx.broadcast` and
    /// `tx.commit_status` inside it, each around its call to the peer.
    public func submit(
        chaincode: String, function: String, arguments: [[UInt8]], timeout: Duration = .seconds(30)
    ) async throws(GatewayError) -> SubmitResult {
        try await tracedSubmit(chaincode: chaincode, function: function, arguments: arguments) { proposal, txID throws(GatewayError) in
            try await submitThroughPeer(proposal, txID: txID, timeout: timeout)
        }
    }

    private func submitThroughPeer(_ proposal: SignedProposal, txID: String, timeout: Duration) async throws(GatewayError) -> SubmitResult {
        let deadline = ContinuousClock.now + timeout
        var lastError = GatewayError.badProfile("the profile lists no peers")
        for peer in try peers() {
            let answer: EndorsementResponses
            do {
                let bytes = try await WeftTracing.withSpan("tx.endorse") { _ throws(GatewayError) in
                    try await callPeer([peer], .gatewayEndorse, proposal.canonicalBytes, timeout: .seconds(60))
                }
                answer = try EndorsementResponses(canonicalBytes: bytes)
            } catch let error as GatewayError where error.isUnreachable {
                lastError = error
                continue   // another peer's gateway
            } catch let error as GatewayError {
                throw error
            } catch {
                throw .protocolError("\(peer.name): gateway endorse answer: \(error)")
            }
            for response in answer.responses where response.status != ChaincodeResponse.okStatus || response.endorsement == nil {
                throw .endorsementFailed(peer: "\(peer.name)'s gateway", status: response.status, message: response.message)
            }
            let envelope: Envelope
            do {
                envelope = try builder.envelope(for: proposal, responses: answer.responses)
            } catch let error as EndorsementError {
                throw .endorsement(error)
            } catch {
                throw .protocolError("could not sign the envelope: \(error)")
            }
            let broadcast: BroadcastResult
            do {
                let bytes = try await WeftTracing.withSpan("tx.broadcast") { _ throws(GatewayError) in
                    try await callPeer([peer], .gatewaySubmit, envelope.canonicalBytes, timeout: .seconds(30))
                }
                broadcast = try BroadcastResult(canonicalBytes: bytes)
            } catch let error as GatewayError {
                throw error
            } catch {
                throw .protocolError("\(peer.name): gateway submit answer: \(error)")
            }
            guard broadcast.isSuccess else {
                // 503: no orderer could take it (down, no leader, overloaded) — as unreachable as an orderer the client dialled itself.
                if broadcast.status == .serviceUnavailable { throw .unreachable(node: "the orderers", address: "via \(peer.name)", reason: broadcast.message) }
                throw .broadcastFailed(status: broadcast.status, message: "\(peer.name)'s gateway: \(broadcast.message)")
            }
            let status = try await WeftTracing.withSpan("tx.commit_status") { _ throws(GatewayError) in
                try await commitStatus(txID, at: [peer], until: deadline, timeout: timeout)
            }
            let endorsed = try? answer.responses.first?.payload()
            return SubmitResult(txID: txID, blockNumber: status.blockNumber, code: status.validationCode,
                                payload: endorsed?.response.payload ?? [], event: endorsed?.event)
        }
        throw lastError
    }
}
