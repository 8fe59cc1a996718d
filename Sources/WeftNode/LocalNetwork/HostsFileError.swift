/// Why a hosts file (`weft network init --hosts FILE`) was refused; each message names the file, the
/// node or host, and what to write instead.
public enum HostsFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(source: String, reason: String)
    case empty(source: String)
    case unknownNode(source: String, node: String)
    case missingNode(source: String, node: String, reason: String)
    case missingHost(source: String, node: String)
    case missingAddress(source: String, node: String)
    case badHost(source: String, node: String, host: String, reason: String)
    case badAddress(source: String, node: String, address: String, reason: String)
    case badPort(source: String, node: String, field: String, reason: String)
    case duplicateAddress(source: String, address: String, hosts: [String])
    case hostWithTwoAddresses(source: String, host: String, addresses: [String])

    public var description: String {
        switch self {
        case let .unreadable(source, reason):
            "\(source) is not a hosts file (a YAML mapping of node name to {host: NAME, address: ADDRESS}): \(reason)"
        case let .empty(source):
            "\(source) names no node; write one line per node, e.g. orderer0.orderer: {host: site-a, address: 10.77.0.11}"
        case let .unknownNode(source, node):
            "\(source): unknown node '\(node)'; name nodes as weft crypto generate does: orderer0.orderer, orderer1.orderer, …, peer0.org1, peer1.org1, peer0.org2, …"
        case let .missingNode(source, node, reason):
            "\(source): \(node) is missing (\(reason)); add it, e.g. \(node): {host: NAME, address: ADDRESS}"
        case let .missingHost(source, node):
            "\(source): \(node) has no host; write \(node): {host: NAME, address: ADDRESS}"
        case let .missingAddress(source, node):
            "\(source): \(node) has no address; write \(node): {host: NAME, address: ADDRESS} with the address the other hosts dial"
        case let .badHost(source, node, host, reason):
            "\(source): \(node): host '\(host)': \(reason)"
        case let .badAddress(source, node, address, reason):
            "\(source): \(node): address '\(address)': \(reason)"
        case let .badPort(source, node, field, reason):
            "\(source): \(node): \(field) \(reason)"
        case let .duplicateAddress(source, address, hosts):
            "\(source): address \(address) is given to two hosts, \(hosts.joined(separator: " and ")); give each host its own address (nodes of one host share it)"
        case let .hostWithTwoAddresses(source, host, addresses):
            "\(source): host \(host) has two addresses, \(addresses.joined(separator: " and ")); give every node of one host the same address"
        }
    }
}
