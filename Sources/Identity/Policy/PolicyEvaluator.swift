/// Decides whether a set of signers satisfies a policy, using each signer at most once.
///
/// The policy is first reduced to threshold gates over principals (AND = all, OR = one, channel
/// rules = n of the channel's organizations). Then the evaluator searches assignments of signers to
/// principals: each node yields the sets of signers (as bit masks) that can satisfy it on top of
/// signers already used, so `OutOf(2, 'Org1.peer', 'Org1.peer')` needs two different Org1 peers and
/// no signer ever counts twice — unlike a greedy match, the search cannot miss an assignment that
/// exists. Two pruning rules keep it small: signers that match exactly the same principals are
/// interchangeable, so a principal always takes the first unused one of such a group; and sets that
/// use a superset of another set's signers are dropped (they never help).
struct PolicyEvaluator {
    /// Bit masks over at most 64 relevant signers.
    typealias SignerSet = UInt64

    /// A policy reduced to threshold gates.
    indirect enum Node {
        case principal(PolicyPrincipal)
        case threshold(Int, [Node])
    }

    /// Upper bound on alternative signer sets kept per node. Only adversarially large policies
    /// reach it; then some alternatives are dropped, which can only turn a pass into a fail.
    static let maximumAlternatives = 4096

    /// Signers that match exactly the same principals, as single-bit masks in order.
    private struct Group {
        let representative: ValidatedIdentity
        var bits: [SignerSet]
    }

    private let root: Node
    private let groups: [Group]

    /// Prepares to evaluate `expression` for the channel's `organizations` (policy names) and the
    /// `signers` (the same identity twice counts once).
    init(expression: PolicyExpression, organizations: [String], signers: [ValidatedIdentity]) {
        root = Self.reduce(expression, organizations: organizations)
        groups = Self.groups(of: signers, principals: Self.principals(of: root))
    }

    /// Whether the signers satisfy the policy.
    func isSatisfied() -> Bool {
        !solve(root, from: [0]).isEmpty
    }

    // MARK: - Reduction

    static func reduce(_ expression: PolicyExpression, organizations: [String]) -> Node {
        switch expression {
        case .principal(let principal):
            return .principal(principal)
        case .and(let children):
            return .threshold(children.count, children.map { reduce($0, organizations: organizations) })
        case .or(let children):
            return .threshold(1, children.map { reduce($0, organizations: organizations) })
        case let .outOf(count, children):
            return .threshold(count, children.map { reduce($0, organizations: organizations) })
        case let .organizations(quantifier, role):
            let principals = organizations.map { Node.principal(PolicyPrincipal(organization: $0, role: role)) }
            return .threshold(quantifier.threshold(of: organizations.count), principals)
        }
    }

    private static func principals(of node: Node) -> [PolicyPrincipal] {
        switch node {
        case .principal(let principal): [principal]
        case .threshold(_, let children): children.flatMap(principals)
        }
    }

    /// The signers worth considering, grouped by the principals they match: distinct identities that
    /// match some principal, at most as many per group as the policy has principals (more can never
    /// be used), and at most 64 in all.
    private static func groups(of signers: [ValidatedIdentity], principals: [PolicyPrincipal]) -> [Group] {
        var seen: Set<ValidatedIdentity> = []
        var groupIndex: [[Bool]: Int] = [:]
        var groups: [Group] = []
        var used = 0
        for signer in signers where used < SignerSet.bitWidth && seen.insert(signer).inserted {
            let profile = principals.map { $0.admits(signer) }
            guard profile.contains(true) else { continue }
            let bit: SignerSet = 1 << SignerSet(used)
            if let index = groupIndex[profile] {
                guard groups[index].bits.count < principals.count else { continue }
                groups[index].bits.append(bit)
            } else {
                groupIndex[profile] = groups.count
                groups.append(Group(representative: signer, bits: [bit]))
            }
            used += 1
        }
        return groups
    }

    // MARK: - Search

    /// The minimal signer sets that satisfy `node` on top of each of `starts`.
    private func solve(_ node: Node, from starts: [SignerSet]) -> [SignerSet] {
        switch node {
        case .principal(let principal):
            var results: [SignerSet] = []
            for group in groups where principal.admits(group.representative) {
                for start in starts {
                    if let bit = group.bits.first(where: { start & $0 == 0 }) { results.append(start | bit) }
                }
            }
            return Self.minimal(results)
        case let .threshold(count, children):
            guard count > 0 else { return starts }
            // frontier[k]: signer sets after satisfying k of the children seen so far.
            var frontier: [[SignerSet]] = Array(repeating: [], count: count + 1)
            frontier[0] = starts
            for child in children {
                for satisfied in stride(from: count - 1, through: 0, by: -1) where !frontier[satisfied].isEmpty {
                    let extended = solve(child, from: frontier[satisfied])
                    if !extended.isEmpty { frontier[satisfied + 1] = Self.minimal(frontier[satisfied + 1] + extended) }
                }
            }
            return frontier[count]
        }
    }

    /// Drops duplicates and every set that contains another set of the list.
    private static func minimal(_ sets: [SignerSet]) -> [SignerSet] {
        let sorted = Set(sets).sorted { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }
        var kept: [SignerSet] = []
        for candidate in sorted where !kept.contains(where: { candidate & $0 == $0 }) {
            kept.append(candidate)
            if kept.count == maximumAlternatives { break }
        }
        return kept
    }
}
