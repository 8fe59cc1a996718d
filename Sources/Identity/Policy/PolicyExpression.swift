/// The role a policy principal requires: one of the identity roles, or `member` for any role.
public enum PrincipalRole: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Any valid identity of the organization.
    case member
    case client
    case peer
    case orderer
    /// An administrator (the `admin` OU or listed by the organization).
    case admin

    public var description: String { rawValue }

    /// Whether `identity` satisfies this role.
    func admits(_ identity: ValidatedIdentity) -> Bool {
        switch self {
        case .member: true
        case .client: identity.role == .client
        case .peer: identity.role == .peer
        case .orderer: identity.role == .orderer
        case .admin: identity.isAdmin
        }
    }
}

/// One signer a policy asks for: an organization (by policy name such as `Org1`, or MSP id) and a role.
public struct PolicyPrincipal: Hashable, Sendable, CustomStringConvertible {
    /// The organization's name or MSP id.
    public var organization: String
    /// The role the signer must have.
    public var role: PrincipalRole

    /// A principal from its parts.
    public init(organization: String, role: PrincipalRole) {
        self.organization = organization
        self.role = role
    }

    /// `'Org1.peer'`.
    public var description: String { "'\(organization).\(role)'" }

    /// Whether `identity` is this principal.
    func admits(_ identity: ValidatedIdentity) -> Bool {
        (identity.organization == organization || identity.mspID == organization) && role.admits(identity)
    }
}

/// How many of a channel's organizations a channel-level rule asks for.
public enum OrganizationQuantifier: String, CaseIterable, Hashable, Sendable {
    /// At least one organization.
    case any = "ANY"
    /// Every organization.
    case all = "ALL"
    /// More than half of the organizations.
    case majority = "MAJORITY"

    /// How many of `count` organizations are needed (0 organizations: unsatisfiable).
    func threshold(of count: Int) -> Int {
        guard count > 0 else { return 1 }
        return switch self {
        case .any: 1
        case .all: count
        case .majority: count / 2 + 1
        }
    }
}

/// A parsed policy. Text form (see docs/policies.md):
/// `AND('Org1.peer', 'Org2.peer')`, `OR(...)`, `OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')`,
/// nested freely, and channel-level `ANY peer`, `ALL admin`, `MAJORITY peer`.
public indirect enum PolicyExpression: Hashable, Sendable, CustomStringConvertible {
    /// One signer with this organization and role.
    case principal(PolicyPrincipal)
    /// Every sub-policy, each by different signers.
    case and([PolicyExpression])
    /// At least one sub-policy.
    case or([PolicyExpression])
    /// At least `n` sub-policies, each by different signers.
    case outOf(Int, [PolicyExpression])
    /// A signer with the role from one, all, or a majority of the channel's organizations.
    case organizations(OrganizationQuantifier, PrincipalRole)

    /// The canonical text, which parses back to the same expression.
    public var description: String {
        switch self {
        case .principal(let principal): principal.description
        case .and(let children): "AND(\(children.map(\.description).joined(separator: ", ")))"
        case .or(let children): "OR(\(children.map(\.description).joined(separator: ", ")))"
        case let .outOf(count, children): "OutOf(\(([String(count)] + children.map(\.description)).joined(separator: ", ")))"
        case let .organizations(quantifier, role): "\(quantifier.rawValue) \(role)"
        }
    }

    /// Every organization named by a principal, in order of first appearance.
    public var namedOrganizations: [String] {
        var seen: Set<String> = []
        var names: [String] = []
        func visit(_ expression: PolicyExpression) {
            switch expression {
            case .principal(let principal):
                if seen.insert(principal.organization).inserted { names.append(principal.organization) }
            case .and(let children), .or(let children), .outOf(_, let children):
                children.forEach(visit)
            case .organizations:
                break
            }
        }
        visit(self)
        return names
    }
}
