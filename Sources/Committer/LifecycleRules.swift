import Identity
import WeftCore

/// How the committer checks a transaction of `_lifecycle`, the chaincode lifecycle (docs/governance.md):
/// what an endorser's simulation cannot be trusted with.
///
/// - Its creator is an administrator of a channel organization.
/// - It writes at most one key, in the namespace `_lifecycle` itself.
/// - An approval (`approval/NAME/SEQUENCE/MSPID`) is its creator's own organization's — an application
///   organization — holds a definition of that name and sequence whose policies parse, and is
///   endorsed by a peer of that organization.
/// - A committed definition (`definition/NAME`) holds a definition of that name whose policies parse, and is endorsed as the LifecycleEndorsement policy says: by peers that each checked the
///   approvals in state, which the read set then protects.
public struct LifecycleRules: Sendable {
    /// The endorsement policy of committing a definition (LifecycleEndorsement).
    public var commitPolicy: EndorsementPolicy

    public init(commitPolicy: EndorsementPolicy) {
        self.commitPolicy = commitPolicy
    }

    /// What a `_lifecycle` transaction needs: endorsements satisfying a policy, or nothing (it is invalid).
    enum Requirement {
        case endorsements(EndorsementPolicy)
        case invalid(ValidationCode)
    }

    /// The policy the transaction's endorsements must satisfy, or the code that makes it invalid.
    func requirement(writes: [KVWrite], creator: ValidatedIdentity, membership: Membership) -> Requirement {
        guard creator.hasRole(.admin) else { return .invalid(.invalidCreator) }
        let ownPeer = EndorsementPolicy(expression: .principal(PolicyPrincipal(organization: creator.organization, role: .peer)))
        guard let write = writes.first else { return .endorsements(ownPeer) }
        guard writes.count == 1, write.namespace == LifecycleKeys.namespace, let value = write.value,
              let definition = try? ChaincodeDefinition(canonicalBytes: value),
              LifecycleKeys.isDefinableName(definition.name), ChaincodePolicies(definition) != nil
        else { return .invalid(.illegalWriteset) }
        if let approval = LifecycleKeys.approval(ofKey: write.key) {
            guard approval.mspID == creator.mspID, !membership.isOrdererOrganization(creator.mspID),
                  approval.name == definition.name, approval.sequence == definition.sequence
            else { return .invalid(.illegalWriteset) }
            return .endorsements(ownPeer)
        }
        guard LifecycleKeys.definitionName(ofKey: write.key) == definition.name else { return .invalid(.illegalWriteset) }
        return .endorsements(commitPolicy)
    }

    /// The definitions committed by the valid transactions of `_lifecycle` among `transactions`.
    static func committedDefinitions(_ transactions: [(code: ValidationCode, checked: CheckedTransaction)]) -> [ChaincodeDefinition] {
        transactions.flatMap { code, checked -> [ChaincodeDefinition] in
            guard code.isValid, checked.chaincode == LifecycleKeys.namespace else { return [] }
            return (checked.readWriteSet?.writes ?? []).compactMap { write in
                guard LifecycleKeys.definitionName(ofKey: write.key) != nil, let value = write.value else { return nil }
                return try? ChaincodeDefinition(canonicalBytes: value)
            }
        }
    }
}
