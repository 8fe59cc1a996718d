#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto

/// Checks that a block was ordered by the ordering service: its orderer signatures over the header hash
/// must come from valid orderer identities — consenters' signing keys, when the channel pins them —
/// and satisfy the channel's block validation policy.
public struct BlockSignatureCheck: Sendable {
    public var validator: IdentityValidator
    /// e.g. `ANY orderer` or `OR('OrdererOrg.orderer')`.
    public var policy: EndorsementPolicy
    /// SHA-256 (lower-case hex) of the consenters' signing public keys: only their signatures count.
    /// nil accepts any valid orderer identity (a channel that pins no keys).
    public var consenterSigningKeys: Set<String>?

    public init(validator: IdentityValidator, policy: EndorsementPolicy, consenterSigningKeys: Set<String>? = nil) {
        self.validator = validator
        self.policy = policy
        self.consenterSigningKeys = consenterSigningKeys
    }

    /// nil when the block is properly signed; otherwise the reason.
    public func failure(of block: Block, at time: Date) -> String? {
        let hash = block.header.hash
        var signers: [ValidatedIdentity] = []
        var problems: [String] = []
        for signature in block.metadata.ordererSignatures {
            switch validator.validate(signature.signer, at: time, requiring: .orderer) {
            case .failure(let failure):
                problems.append("signer \(signature.signer.mspID): \(failure)")
            case .success(let signer):
                if let keys = consenterSigningKeys, !keys.contains(signer.publicKey.sha256Hex) {
                    problems.append("signer \(signer) is not a consenter of the channel")
                } else if signer.certificate.publicKey.isValidSignature(signature.signature, for: hash) {
                    signers.append(signer)
                } else {
                    problems.append("signature of \(signer) does not verify")
                }
            }
        }
        if policy.isSatisfied(by: signers, membership: validator.membership) { return nil }
        let detail = problems.isEmpty ? "" : " (" + problems.joined(separator: "; ") + ")"
        return "\(signers.count) valid orderer signature(s) do not satisfy \(policy)\(detail)"
    }
}
