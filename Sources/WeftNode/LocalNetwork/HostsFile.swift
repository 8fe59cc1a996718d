import Identity
import WeftCrypto
import WeftProtocol
import WeftYAML

/// A network described by hosts (`weft network init --hosts FILE`): for every node, the machine it runs
/// on and the address the other nodes and the clients dial it at.
///
/// ```yaml
/// orderer0.orderer: {host: site-a, address: 10.77.0.11}
/// orderer1.orderer: {host: site-b, address: 10.77.0.12, port: 7050, operationsPort: 8443}
/// peer0.org1:       {host: site-a, address: 10.77.0.11}     # a second node on site-a: port 7051
/// ```
///
/// Node names are the ones `weft crypto generate` gives (`ordererN.orderer`, `peerN.orgK`, numbered
/// from 0 and 1), so the file alone describes the network: its orderers, organizations and peers.
/// Ports default by role (orderer 7050 and operations 8443, peer 7051 and 9443) and move up by 100
/// while another node of the same host holds them.
public struct HostsFile: Sendable, Equatable {
    /// One node's place.
    public struct Placement: Sendable, Equatable {
        /// `orderer0.orderer`, `peer1.org2`.
        public var node: String
        /// The machine's name (`site-a`): one folder per host, and a name in the node's TLS certificate.
        public var host: String
        /// What others dial: an IP address or a DNS name; also in the node's TLS certificate.
        public var address: String
        /// Its listen port (on every interface of its host).
        public var port: Int
        /// Its operations endpoint's port (HTTPS).
        public var operationsPort: Int

        /// `address:port`, with brackets around an IPv6 address.
        public var endpoint: String { Endpoint(host: address, port: port).description }
        /// Whether the node is an orderer.
        public var isOrderer: Bool { HostsFile.NodeName(node)?.isOrderer ?? false }
    }

    /// Every node, orderers first (by number), then peers by organization and number.
    public let placements: [Placement]

    /// The hosts in order of their first node.
    public var hosts: [String] {
        var seen: [String] = []
        for placement in placements where !seen.contains(placement.host) { seen.append(placement.host) }
        return seen
    }

    /// The placement of `node`, if the file names it.
    public func placement(of node: String) -> Placement? { placements.first { $0.node == node } }

    /// Parses and checks a hosts file; `source` (its path) names it in errors.
    public init(yaml: String, source: String) throws(HostsFileError) {
        let entries: [String: Entry]
        do {
            entries = try YAMLDecoder().decode([String: Entry].self, from: yaml)
        } catch {
            throw .unreadable(source: source, reason: "\(error)")
        }
        try self.init(entries: entries, source: source)
    }

    /// A node's entry as written.
    struct Entry: Decodable, Equatable {
        var host: String?
        var address: String?
        var port: Int?
        var operationsPort: Int?
    }

    init(entries: [String: Entry], source: String) throws(HostsFileError) {
        guard !entries.isEmpty else { throw .empty(source: source) }
        var named: [(name: NodeName, entry: Entry)] = []
        for (node, entry) in entries {
            guard let name = NodeName(node) else { throw .unknownNode(source: source, node: node) }
            named.append((name, entry))
        }
        named.sort { $0.name < $1.name }
        try Self.checkNumbering(named.map(\.name), source: source)

        var addressOfHost: [String: String] = [:]
        var hostOfAddress: [String: String] = [:]
        var usedPorts: [String: Set<Int>] = [:]
        var placements: [Placement] = []
        for (name, entry) in named {
            let node = name.text
            guard let host = entry.host, !host.isEmpty else { throw .missingHost(source: source, node: node) }
            if let problem = Self.hostNameProblem(host) { throw .badHost(source: source, node: node, host: host, reason: problem) }
            guard let address = entry.address, !address.isEmpty else { throw .missingAddress(source: source, node: node) }
            if let problem = Self.addressProblem(address) {
                throw .badAddress(source: source, node: node, address: address, reason: problem)
            }
            if let known = addressOfHost[host], known != address {
                throw .hostWithTwoAddresses(source: source, host: host, addresses: [known, address])
            }
            if let other = hostOfAddress[address], other != host {
                throw .duplicateAddress(source: source, address: address, hosts: [other, host])
            }
            addressOfHost[host] = address
            hostOfAddress[address] = host
            var used = usedPorts[host] ?? []
            let port = try Self.port(entry.port, default: name.isOrderer ? 7050 : 7051, used: &used, node: node, field: "port", source: source)
            let operations = try Self.port(entry.operationsPort, default: name.isOrderer ? 8443 : 9443, used: &used, node: node,
                                           field: "operationsPort", source: source)
            usedPorts[host] = used
            placements.append(Placement(node: node, host: host, address: address, port: port, operationsPort: operations))
        }
        self.placements = placements
    }

    /// An explicit port (which must be free on its host) or the default, moved up by 100 while taken.
    private static func port(
        _ explicit: Int?, default base: Int, used: inout Set<Int>, node: String, field: String, source: String
    ) throws(HostsFileError) -> Int {
        if let explicit {
            guard (1...65535).contains(explicit) else { throw .badPort(source: source, node: node, field: field, reason: "\(explicit) is not a port number (1…65535)") }
            guard used.insert(explicit).inserted else {
                throw .badPort(source: source, node: node, field: field, reason: "\(explicit) is already used by another node of the same host")
            }
            return explicit
        }
        var port = base
        while used.contains(port) { port += 100 }
        guard port <= 65535 else { throw .badPort(source: source, node: node, field: field, reason: "no free default port") }
        used.insert(port)
        return port
    }

    /// Orderers numbered 0…n-1, organizations 1…k, each with peers 0…m-1: a gap means a node is missing.
    private static func checkNumbering(_ names: [NodeName], source: String) throws(HostsFileError) {
        let orderers = names.filter(\.isOrderer).map(\.index)
        guard !orderers.isEmpty else { throw .missingNode(source: source, node: "orderer0.orderer", reason: "a network needs an orderer") }
        for (expected, index) in orderers.enumerated() where index != expected {
            throw .missingNode(source: source, node: "orderer\(expected).orderer", reason: "orderers are numbered from 0 without gaps")
        }
        let organizations = Array(Set(names.compactMap(\.organization))).sorted()
        guard !organizations.isEmpty else { throw .missingNode(source: source, node: "peer0.org1", reason: "a network needs a peer") }
        for (expected, organization) in organizations.enumerated() where organization != expected + 1 {
            throw .missingNode(source: source, node: "peer0.org\(expected + 1)", reason: "organizations are numbered from 1 without gaps")
        }
        for organization in organizations {
            let peers = names.filter { $0.organization == organization }.map(\.index)
            for (expected, index) in peers.enumerated() where index != expected {
                throw .missingNode(source: source, node: "peer\(expected).org\(organization)", reason: "peers are numbered from 0 without gaps")
            }
        }
    }

    /// Why `host` cannot name a machine (a folder and a DNS name in certificates), or nil.
    static func hostNameProblem(_ host: String) -> String? {
        guard host.utf8.count <= 63, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }),
              !host.hasPrefix("-"), !host.hasPrefix("."), !host.hasSuffix("."), !host.contains("..") else {
            return "use letters, digits, '-' and '.' (a DNS name of at most 63 characters)"
        }
        return nil
    }

    /// Why `address` is neither an IP address nor a DNS name others can dial, or nil.
    static func addressProblem(_ address: String) -> String? {
        if case .ipAddress = SubjectAlternativeName(host: address) {
            if ["0.0.0.0", "::"].contains(address) { return "an unspecified address cannot be dialled; give the host's own address" }
            return nil
        }
        let labels = address.split(separator: ".", omittingEmptySubsequences: false)
        if labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            return "not an IPv4 address (four numbers 0–255)"
        }
        if address.contains(":") { return "not an IPv6 address, and a port belongs in 'port:'" }
        return hostNameProblem(address).map { "not an IP address, and not a DNS name: \($0)" }
    }
}
