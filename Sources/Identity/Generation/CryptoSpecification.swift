#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftYAML

/// What `weft crypto generate` creates: peer organizations (each with peers and users), one orderer
/// organization (with orderers), and how long certificates are valid.
///
/// YAML form (every field but the counts optional; see docs/crypto-layout.md):
/// ```yaml
/// validityDays: 3650
/// ordererOrganization:
///   name: Orderer        # mspID OrdererMSP, domain orderer
///   orderers: 3
/// peerOrganizations:
///   - name: Org1         # mspID Org1MSP, domain org1
///     peers: 2
///     users: 1
///     hosts: ["{node}.weft.example"]   # extra names for this organization's nodes
/// hosts: ["{node}.lan"]  # extra names for every organization's nodes
/// nodeHosts:             # extra names of single nodes (what `weft network init --hosts` adds)
///   peer0.org1: [site-a, 10.77.0.21]
/// ```
public struct CryptoSpecification: Codable, Hashable, Sendable {
    /// A peer organization.
    public struct PeerOrganization: Codable, Hashable, Sendable {
        /// Policy name, e.g. `Org1`.
        public var name: String
        /// MSP id; defaults to `<name>MSP`.
        public var mspID: String?
        /// DNS domain of its hosts; defaults to the lower-cased name (`peer0.org1`).
        public var domain: String?
        /// Number of peers (`peer0` …).
        public var peers: Int
        /// Number of client users (`User1@domain` …), besides the administrator `Admin@domain`.
        public var users: Int
        /// Extra subject alternative names of every peer's certificates (`HostPattern`: `{node}`,
        /// `{index}`), besides the host name, `localhost` and `127.0.0.1`.
        public var hosts: [String]?

        /// A peer organization; nil fields take their defaults.
        public init(name: String, mspID: String? = nil, domain: String? = nil, peers: Int, users: Int, hosts: [String]? = nil) {
            self.name = name
            self.mspID = mspID
            self.domain = domain
            self.peers = peers
            self.users = users
            self.hosts = hosts
        }
    }

    /// The orderer organization.
    public struct OrdererOrganization: Codable, Hashable, Sendable {
        /// Policy name; defaults to `Orderer`.
        public var name: String?
        /// MSP id; defaults to `<name>MSP`.
        public var mspID: String?
        /// DNS domain; defaults to the lower-cased name (`orderer0.orderer`).
        public var domain: String?
        /// Number of orderers (`orderer0` …).
        public var orderers: Int
        /// Extra subject alternative names of every orderer's certificates (`HostPattern`: `{node}`,
        /// `{index}`), besides the host name, `localhost` and `127.0.0.1`.
        public var hosts: [String]?

        /// The orderer organization; nil fields take their defaults.
        public init(name: String? = nil, mspID: String? = nil, domain: String? = nil, orderers: Int, hosts: [String]? = nil) {
            self.name = name
            self.mspID = mspID
            self.domain = domain
            self.orderers = orderers
            self.hosts = hosts
        }
    }

    /// Peer organizations, in order.
    public var peerOrganizations: [PeerOrganization]
    /// The orderer organization.
    public var ordererOrganization: OrdererOrganization
    /// Validity of every certificate in days (default 3650).
    public var validityDays: Int?
    /// Extra subject alternative names of every node of every organization (`HostPattern`), after the
    /// organization's own `hosts`; `weft crypto generate --host` adds to them.
    public var hosts: [String]?
    /// Extra subject alternative names of single nodes, by the node's host name (`peer0.org1`): the
    /// name and address of the machine it runs on (`site-a`, `10.77.0.21`). Each must be a DNS name or
    /// an IP address written out (not a `HostPattern` template with `{node}` or `{index}`); they come
    /// after the organization's and the shared patterns.
    public var nodeHosts: [String: [String]]?

    /// A description; nil fields take their defaults.
    public init(
        peerOrganizations: [PeerOrganization], ordererOrganization: OrdererOrganization, validityDays: Int? = nil,
        hosts: [String]? = nil, nodeHosts: [String: [String]]? = nil
    ) {
        self.peerOrganizations = peerOrganizations
        self.ordererOrganization = ordererOrganization
        self.validityDays = validityDays
        self.hosts = hosts
        self.nodeHosts = nodeHosts
    }

    /// `organizations` peer organizations `Org1…OrgN` (MSP ids `Org1MSP…`), each with `peers` peers and
    /// `users` users, and an orderer organization `Orderer` (`OrdererMSP`) with `orderers` orderers.
    public static func standard(organizations: Int, peers: Int, orderers: Int, users: Int, validityDays: Int? = nil) -> CryptoSpecification {
        CryptoSpecification(
            peerOrganizations: (0..<max(0, organizations)).map { PeerOrganization(name: "Org\($0 + 1)", peers: peers, users: users) },
            ordererOrganization: OrdererOrganization(orderers: orderers),
            validityDays: validityDays)
    }

    /// Parses the YAML form.
    public init(yaml: String) throws(IdentityError) {
        do {
            self = try YAMLDecoder().decode(CryptoSpecification.self, from: yaml)
        } catch let error as DecodingError {
            throw .invalidSpecification(Self.describe(error))
        } catch {
            throw .invalidSpecification("YAML: \(error)")
        }
    }

    /// Largest count of anything per organization, and of peer organizations.
    public static let maximumCount = 1000

    /// Checks counts, names and uniqueness; the message says what to change.
    public func validate() throws(IdentityError) {
        guard !peerOrganizations.isEmpty else { throw .invalidSpecification("at least one peer organization is needed (--orgs 1 or more)") }
        guard peerOrganizations.count <= Self.maximumCount else {
            throw .invalidSpecification("at most \(Self.maximumCount) peer organizations")
        }
        guard (1...Self.maximumCount).contains(ordererOrganization.orderers) else {
            throw .invalidSpecification("orderers must be between 1 and \(Self.maximumCount), not \(ordererOrganization.orderers)")
        }
        if let validityDays, !(1...36500).contains(validityDays) {
            throw .invalidSpecification("validityDays must be between 1 and 36500, not \(validityDays)")
        }
        var names: Set<String> = []
        var mspIDs: Set<String> = []
        var domains: Set<String> = []
        for organization in resolvedOrganizations() {
            for (what, value) in [("name", organization.name), ("mspID", organization.mspID)] where !Self.isIdentifier(value) {
                throw .invalidSpecification("organization \(what) '\(value)': use letters, digits, '-' and '_' only")
            }
            guard Self.isDomain(organization.domain) else {
                throw .invalidSpecification("domain '\(organization.domain)': use lower-case letters, digits, '-' and '.'")
            }
            guard names.insert(organization.name).inserted, mspIDs.insert(organization.mspID).inserted,
                  domains.insert(organization.domain).inserted else {
                throw .invalidSpecification("organization \(organization.name): name, mspID and domain must be unique")
            }
            guard (0...Self.maximumCount).contains(organization.nodes), (0...Self.maximumCount).contains(organization.users) else {
                throw .invalidSpecification("organization \(organization.name): peers and users must be between 0 and \(Self.maximumCount)")
            }
            try organization.validateHosts()
        }
        try validateNodeHosts()
    }

    /// Every `nodeHosts` key names a node of this description and every name is a DNS name or an IP address.
    private func validateNodeHosts() throws(IdentityError) {
        guard let nodeHosts else { return }
        let nodes = Set(resolvedOrganizations().flatMap { organization in (0..<organization.nodes).map(organization.nodeHost) })
        for (node, names) in nodeHosts.sorted(by: { $0.key < $1.key }) {
            guard nodes.contains(node) else {
                throw .invalidSpecification("nodeHosts: '\(node)' is not a node of this network (nodes are named like \(nodes.sorted().prefix(2).joined(separator: ", ")))")
            }
            for name in names {
                if let problem = HostPattern.nameProblem(name) {
                    throw .invalidSpecification("nodeHosts.\(node) '\(name)': \(problem)")
                }
            }
        }
    }

    /// The orderer organization first, then the peer organizations, with defaults applied.
    func resolvedOrganizations() -> [ResolvedOrganization] {
        let shared = Self.fielded(hosts, "hosts")
        let ordererName = ordererOrganization.name ?? "Orderer"
        let orderer = ResolvedOrganization(
            name: ordererName, mspID: ordererOrganization.mspID ?? ordererName + "MSP",
            domain: ordererOrganization.domain ?? ordererName.lowercased(), isOrderer: true,
            nodes: ordererOrganization.orderers, users: 0,
            hostPatterns: Self.fielded(ordererOrganization.hosts, "ordererOrganization.hosts") + shared,
            nodeNames: nodeHosts ?? [:])
        return [orderer] + peerOrganizations.enumerated().map { index, organization in
            ResolvedOrganization(
                name: organization.name, mspID: organization.mspID ?? organization.name + "MSP",
                domain: organization.domain ?? organization.name.lowercased(), isOrderer: false,
                nodes: organization.peers, users: organization.users,
                hostPatterns: Self.fielded(organization.hosts, "peerOrganizations[\(index)].hosts") + shared,
                nodeNames: nodeHosts ?? [:])
        }
    }

    /// Host patterns paired with the field that holds them, e.g. `hosts[1]`.
    private static func fielded(_ patterns: [String]?, _ field: String) -> [(field: String, text: String)] {
        (patterns ?? []).enumerated().map { (field: "\(field)[\($0.offset)]", text: $0.element) }
    }

    private static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private static func isDomain(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 200 && !text.hasPrefix(".") && !text.hasSuffix(".") && !text.contains("..")
            && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".").replacing(".[", with: "[")
        }
        switch error {
        case let .keyNotFound(key, context): return "missing '\(key.stringValue)' at \(path(context))"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
