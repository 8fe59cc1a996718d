import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import WeftCore
import WeftCrypto
import WeftTracing

/// The endorsement phase: checks a signed proposal, simulates it on a read snapshot of the ledger and
/// signs the result with the peer's identity.
///
/// All of an endorser's state is immutable, so `endorse` is `nonisolated`: proposals run concurrently
/// on every core instead of queueing one by one behind the actor. Each proposal reads its own ledger
/// snapshot (a WAL reader), so endorsement never waits for the committer.
public actor Endorser {
    /// What an endorser needs: its channel, who it is, who may call it, what it runs and where it reads.
    public struct Configuration: Sendable {
        public var channelID: String
        /// The peer's signing identity (role peer).
        public var signer: SigningIdentity
        /// Validates proposal creators against the channel's organizations.
        public var validator: IdentityValidator
        /// The chaincodes installed on the channel.
        public var registry: ChaincodeRegistry
        /// The channel's ledger.
        public var ledger: Ledger
        /// The clock certificates are checked against.
        public var now: @Sendable () -> Date
        /// How far a proposal's timestamp may be from `now`, either way (default 10 minutes, as the
        /// orderers' broadcast check): committers validate the creator's certificate at the
        /// transaction's timestamp, so a backdated proposal could otherwise revive an expired one.
        public var timestampSkew: TimeInterval
        /// Where the endorsements it signs are remembered, so that this peer's committer checks them with
        /// a lookup instead of a verification (the node's `OwnSignatures`); nil remembers nothing.
        public var ownSignatures: OwnSignatures?

        public init(
            channelID: String, signer: SigningIdentity, validator: IdentityValidator, registry: ChaincodeRegistry,
            ledger: Ledger, now: @escaping @Sendable () -> Date = { Date() }, timestampSkew: TimeInterval = 600,
            ownSignatures: OwnSignatures? = nil
        ) {
            self.timestampSkew = timestampSkew
            self.ownSignatures = ownSignatures
            self.channelID = channelID
            self.signer = signer
            self.validator = validator
            self.registry = registry
            self.ledger = ledger
            self.now = now
        }
    }

    public nonisolated let configuration: Configuration
    private nonisolated let simulator: Simulator

    public init(configuration: Configuration) {
        self.configuration = configuration
        simulator = Simulator(registry: configuration.registry)
    }

    /// Endorses `signed`: a response with status 200 and the peer's endorsement, or a refusal whose
    /// status and message say why (400 malformed, 403 not allowed, 404 unknown channel or chaincode,
    /// 409 txID already used, 500 storage failure), or the chaincode's own error response (no endorsement).
    public nonisolated func endorse(_ signed: SignedProposal) -> ProposalResponse {
        run(signed, endorsing: true)
    }

    /// Runs `signed` like `endorse` but signs nothing and allows a txID already in the ledger: a
    /// read-only query (`weft tx evaluate`). The response carries the payload, without endorsement.
    public nonisolated func evaluate(_ signed: SignedProposal) -> ProposalResponse {
        run(signed, endorsing: false)
    }

    private nonisolated func run(_ signed: SignedProposal, endorsing: Bool) -> ProposalResponse {
        let proposal: Proposal
        switch check(signed, endorsing: endorsing) {
        case .success(let checked): proposal = checked
        case .failure(let refusal): return .refused(refusal.message, status: refusal.status)
        }
        let simulation: Simulation
        do {
            simulation = try WeftTracing.withSynchronousSpan("peer.simulate") { span in
                span?.attributes["weft.tx_id"] = proposal.header.txID
                span?.attributes["weft.chaincode"] = proposal.chaincode
                span?.attributes["weft.function"] = proposal.function
                let simulation = try configuration.ledger.read { snapshot in
                    if endorsing, try snapshot.transactionStatus(txID: proposal.header.txID) != nil {
                        throw Refusal(409, "transaction \(proposal.header.txID) is already in the ledger")
                    }
                    return try simulator.simulate(proposal, proposalHash: SHA256.hash(signed.proposalBytes), on: snapshot)
                }
                span?.attributes["weft.chaincode_status"] = Int(simulation.payload.response.status)
                return simulation
            }
        } catch let refusal as Refusal {
            return .refused(refusal.message, status: refusal.status)
        } catch SimulationError.unknownChaincode(let name) {
            return .refused("chaincode \"\(name)\" is not installed on channel \(configuration.channelID)", status: 404)
        } catch SimulationError.undefinedChaincode(let name) {
            return .refused("channel \(configuration.channelID): \(SimulationError.undefinedChaincode(name))", status: 404)
        } catch {
            return .refused("the peer could not read its ledger: \(error)", status: 500)
        }
        let payloadBytes = simulation.payload.canonicalBytes
        guard simulation.succeeded, endorsing else {
            let response = simulation.payload.response
            return ProposalResponse(status: response.status, message: response.message, payloadBytes: payloadBytes, endorsement: nil)
        }
        // Later phases of this transaction on this peer (validation, state commit) join its trace.
        if endorsing { TransactionTraces.shared.remember(proposal.header.txID) }
        let endorser = configuration.signer.serialized
        do {
            let digest = SHA256.hash(Endorsement.signedBytes(payloadBytes: payloadBytes, endorser: endorser))
            let signature = try configuration.signer.signature(forDigest: digest)
            configuration.ownSignatures?.record(digest: digest, signature: signature)
            return ProposalResponse(status: ChaincodeResponse.okStatus, message: "", payloadBytes: payloadBytes,
                                    endorsement: Endorsement(endorser: endorser, signature: signature))
        } catch {
            return .refused("the peer could not sign: \(error)", status: 500)
        }
    }

    /// Why a proposal is refused before simulation.
    struct Refusal: Error {
        var status: UInt32
        var message: String
        init(_ status: UInt32, _ message: String) {
            self.status = status
            self.message = message
        }
    }

    /// Decodes the proposal and checks channel, creator, signature, txID and (to endorse) the timestamp.
    private nonisolated func check(_ signed: SignedProposal, endorsing: Bool) -> Result<Proposal, Refusal> {
        let proposal: Proposal
        do {
            proposal = try signed.proposal()
        } catch {
            return .failure(Refusal(400, "malformed proposal: \(error)"))
        }
        let header = proposal.header
        guard header.channelID == configuration.channelID else {
            return .failure(Refusal(404, "this peer does not serve channel \"\(header.channelID)\" (it serves \(configuration.channelID))"))
        }
        let now = configuration.now()
        let skew = Double(header.timestamp) / 1000 - now.timeIntervalSince1970
        // Only an endorsement can reach a ledger; a query may ask about any time.
        guard !endorsing || abs(skew) <= configuration.timestampSkew else {
            return .failure(Refusal(400, "the proposal timestamp is \(Int(abs(skew))) s \(skew < 0 ? "behind" : "ahead of") this peer's clock; at most ±\(Int(configuration.timestampSkew)) s is accepted"))
        }
        let creator: ValidatedIdentity
        switch configuration.validator.validateCreator(header.creator, at: now) {
        case .success(let validated): creator = validated
        case .failure(let failure): return .failure(Refusal(403, "creator \(header.creator.mspID) refused: \(failure)"))
        }
        guard creator.certificate.publicKey.isValidSignature(signed.signature, for: signed.proposalBytes) else {
            return .failure(Refusal(403, "the proposal's signature does not verify against the creator's certificate"))
        }
        guard TransactionID.matches(header.txID, nonce: header.nonce, creator: header.creator) else {
            return .failure(Refusal(400, "txID \(header.txID) is not hex(SHA-256(nonce ‖ creator))"))
        }
        guard configuration.registry.definition(named: proposal.chaincode) != nil else {
            return .failure(Refusal(404, "chaincode \"\(proposal.chaincode)\" is not installed on channel \(configuration.channelID)"))
        }
        return .success(proposal)
    }
}
