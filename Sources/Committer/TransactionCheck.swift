#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto

/// What the order-independent checks decided about one envelope of a block.
public struct CheckedTransaction: Sendable {
    /// The txID the envelope claims, when it could be decoded far enough to have one.
    public var txID: String?
    /// Whether the creator's signature and the txID checked out: only then does the txID count for
    /// duplicate detection and go into the ledger's transaction index (so a forged envelope cannot
    /// burn somebody else's txID).
    public var isAuthenticated: Bool
    /// `.valid` when every check passed; otherwise the first failure.
    public var code: ValidationCode
    /// The read-write set, when decoded.
    public var readWriteSet: ReadWriteSet?
    /// The chaincode event, delivered only if the transaction ends up valid.
    public var event: ChaincodeEvent?
    /// The chaincode the transaction invoked, when it is one installed on the channel (for metrics; a
    /// forged envelope cannot make up names).
    public var chaincode: String?

    func with(_ code: ValidationCode) -> CheckedTransaction {
        var copy = self
        copy.code = code
        return copy
    }

    static func invalid(_ code: ValidationCode, txID: String? = nil) -> CheckedTransaction {
        CheckedTransaction(txID: txID, isAuthenticated: false, code: code, readWriteSet: nil, event: nil)
    }
}

/// The checks of one transaction that do not depend on other transactions, run in parallel across a
/// block: envelope decoding and signature, creator validity and role, txID, response payload binding,
/// endorsement signatures and the chaincode's endorsement policy.
///
/// Certificates are checked at the transaction's own timestamp (from the signed proposal header), not at
/// each peer's clock, so every peer reaches the same verdict. (The orderer bounds how far that
/// timestamp may be from its clock.)
public struct TransactionCheck: Sendable {
    public var channelID: String
    public var validator: IdentityValidator
    /// The endorsement policy of each chaincode defined on the channel, by chaincode name.
    public var policies: [String: EndorsementPolicy]
    /// The policies of contracts (sub-namespaces) of chaincodes whose definitions name some, by chaincode name.
    public var contractPolicies: [String: [String: EndorsementPolicy]] = [:]
    /// The checks of `_lifecycle` transactions, when the channel runs the chaincode lifecycle; nil
    /// makes them invalid like those of any chaincode without a policy.
    public var lifecycle: LifecycleRules?
    /// The endorsements this peer signed itself lately (its endorser records them): one of them is
    /// accepted by a lookup instead of an ECDSA verification, with the same verdict. nil verifies all.
    public var ownSignatures: OwnSignatures?

    public init(
        channelID: String, validator: IdentityValidator, policies: [String: EndorsementPolicy], lifecycle: LifecycleRules? = nil,
        ownSignatures: OwnSignatures? = nil
    ) {
        self.ownSignatures = ownSignatures
        self.channelID = channelID
        self.validator = validator
        self.policies = policies
        self.lifecycle = lifecycle
    }

    /// Puts `definitions` in force: their chaincodes' transactions must satisfy their policies.
    public mutating func define(_ definitions: [ChaincodeDefinition]) {
        for definition in definitions {
            guard let defined = ChaincodePolicies(definition) else { continue }
            policies[definition.name] = defined.chaincode
            contractPolicies[definition.name] = defined.contracts.isEmpty ? nil : defined.contracts
        }
    }

    /// Checks one envelope.
    public func check(_ envelopeBytes: [UInt8]) -> CheckedTransaction {
        guard !envelopeBytes.isEmpty else { return .invalid(.nilEnvelope) }
        guard let envelope = try? Envelope(canonicalBytes: envelopeBytes),
              let transaction = try? envelope.transaction(),
              let proposal = try? transaction.signedProposal.proposal()
        else { return .invalid(.badPayload) }
        let header = proposal.header
        let txID = header.txID
        guard header.channelID == channelID else { return .invalid(.badChannelHeader, txID: txID) }
        let time = Date(timeIntervalSince1970: Double(header.timestamp) / 1000)

        guard case .success(let creator) = validator.validateCreator(header.creator, at: time) else {
            return .invalid(.invalidCreator, txID: txID)
        }
        guard creator.certificate.publicKey.isValidSignature(envelope.signature, for: envelope.payload) else {
            return .invalid(.badCreatorSignature, txID: txID)
        }
        guard TransactionID.matches(txID, nonce: header.nonce, creator: header.creator) else {
            return .invalid(.badProposalTxID, txID: txID)
        }
        var result = CheckedTransaction(txID: txID, isAuthenticated: true, code: .valid, readWriteSet: nil, event: nil)
        guard let payload = try? ProposalResponsePayload(canonicalBytes: transaction.responsePayloadBytes),
              payload.proposalHash == SHA256.hash(transaction.signedProposal.proposalBytes),
              payload.chaincode.hasSameUTF8(as: proposal.chaincode)
        else { return result.with(.badResponsePayload) }
        guard payload.response.isSuccess else { return result.with(.invalidEndorserTransaction) }
        var required: [EndorsementPolicy]
        if let lifecycle, proposal.chaincode.hasSameUTF8(as: LifecycleKeys.namespace) {
            result.chaincode = LifecycleKeys.namespace
            switch lifecycle.requirement(writes: payload.readWriteSet.writes, creator: creator, membership: validator.membership) {
            case .endorsements(let policy): required = [policy]
            case .invalid(let code): return result.with(code)
            }
        } else {
            // By bytes: "cafe\u{301}" must not pick up the policy of a chaincode named "café".
            guard let entry = policies.index(forKey: proposal.chaincode), policies[entry].key.hasSameUTF8(as: proposal.chaincode) else {
                return result.with(.invalidChaincode)
            }
            let name = policies[entry].key
            result.chaincode = name
            required = [policies[entry].value]
            if let contracts = contractPolicies[name] {
                required = ChaincodePolicies(chaincode: policies[entry].value, contracts: contracts)
                    .required(for: payload.readWriteSet.writes, chaincode: name)
            }
        }
        guard payload.readWriteSet.writes.allSatisfy({ Self.owns(proposal.chaincode, namespace: $0.namespace) && Self.isStorable($0) }) else {
            return result.with(.illegalWriteset)
        }
        switch endorsers(of: transaction, at: time) {
        case .none:
            return result.with(.badEndorsement)
        case .some(let endorsers):
            guard required.allSatisfy({ $0.isSatisfied(by: endorsers, membership: validator.membership) }) else {
                return result.with(.endorsementPolicyFailure)
            }
        }
        result.readWriteSet = payload.readWriteSet
        result.event = payload.event
        return result
    }

    /// Whether `chaincode` may write `namespace`: its own, or a sub-namespace `<chaincode>:<name>` (the EVM
    /// keeps each contract's storage in `evm:<address>`). Endorsers of one chaincode cannot write another's.
    /// Compared by bytes, as state keys namespaces: "café" (U+00E9) does not own "cafe\u{301}".
    static func owns(_ chaincode: String, namespace: String) -> Bool {
        namespace.hasSameUTF8(as: chaincode) || namespace.hasUTF8Prefix(chaincode + ":")
    }

    /// Whether the ledger can store `write` (a non-empty key, a namespace without NUL). A write it
    /// cannot store must make its transaction invalid here, never fail the block's commit: every peer
    /// would then refuse the same ordered block forever.
    static func isStorable(_ write: KVWrite) -> Bool {
        !write.key.isEmpty && !write.namespace.isEmpty && !write.namespace.utf8.contains(0)
    }

    /// The validated peer identities whose endorsement signatures verify over the transaction's payload.
    /// An endorser that is not a valid peer does not count toward the policy; a signature that does not
    /// verify (forged, or over another payload) makes the whole transaction bad: nil.
    private func endorsers(of transaction: Transaction, at time: Date) -> [ValidatedIdentity]? {
        var endorsers: [ValidatedIdentity] = []
        for endorsement in transaction.endorsements {
            guard case .success(let endorser) = validator.validate(endorsement.endorser, at: time, requiring: .peer) else {
                continue
            }
            let digest = SHA256.hash(Endorsement.signedBytes(payloadBytes: transaction.responsePayloadBytes, endorser: endorsement.endorser))
            guard ownSignatures?.contains(digest: digest, signature: endorsement.signature) == true
                || endorser.certificate.publicKey.isValidSignature(endorsement.signature, forDigest: digest) else { return nil }
            endorsers.append(endorser)
        }
        return endorsers
    }
}
