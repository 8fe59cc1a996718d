/// A signature policy: which signers a transaction, block or configuration change needs.
///
/// ```swift
/// let policy = try EndorsementPolicy("OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')")
/// policy.isSatisfied(by: endorsers, membership: channelMembers)
/// ```
/// Signers are identities whose signatures the caller has already verified. Each signer counts at
/// most once, whatever the policy's shape; the same identity listed twice is one signer.
public struct EndorsementPolicy: Hashable, Sendable, CustomStringConvertible {
    /// The parsed expression.
    public let expression: PolicyExpression

    /// Parses policy text (grammar in docs/policies.md).
    public init(_ text: String) throws(PolicyParseError) {
        var parser = PolicyParser(text)
        expression = try parser.parse()
    }

    /// Wraps an expression built in code.
    public init(expression: PolicyExpression) {
        self.expression = expression
    }

    /// The canonical text.
    public var description: String { expression.description }

    /// Whether `signers` satisfy the policy in a channel whose organizations are `membership`'s.
    public func isSatisfied(by signers: [ValidatedIdentity], membership: Membership) -> Bool {
        isSatisfied(by: signers, organizations: membership.organizations.map(\.name))
    }

    /// Whether `signers` satisfy the policy; channel-level rules (`ANY`/`ALL`/`MAJORITY`) count over
    /// `organizations` (their policy names).
    public func isSatisfied(by signers: [ValidatedIdentity], organizations: [String]) -> Bool {
        PolicyEvaluator(expression: expression, organizations: organizations, signers: signers).isSatisfied()
    }

    /// Whether approvals by the organizations named in `approving` (policy names) satisfy the policy,
    /// an organization's approval standing for every principal of that organization, whatever the role
    /// (the chaincode lifecycle's count of approvals, docs/governance.md). Channel-level rules count
    /// over `organizations`.
    public func isSatisfied(byOrganizations approving: Set<String>, organizations: [String]) -> Bool {
        func satisfied(_ expression: PolicyExpression) -> Bool {
            switch expression {
            case .principal(let principal): approving.contains(principal.organization)
            case .and(let children): children.allSatisfy(satisfied)
            case .or(let children): children.contains(where: satisfied)
            case let .outOf(count, children): children.count(where: satisfied) >= count
            case let .organizations(quantifier, _):
                organizations.count(where: approving.contains) >= quantifier.threshold(of: organizations.count)
            }
        }
        return satisfied(expression)
    }

    /// Organizations the policy names that `membership` does not know (a policy naming them can
    /// still be satisfied by its other branches; this is for configuration checks).
    public func unknownOrganizations(in membership: Membership) -> [String] {
        expression.namedOrganizations.filter { membership.organization(named: $0) == nil }
    }
}
