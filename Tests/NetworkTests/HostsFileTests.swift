import Foundation
import Identity
import Testing
import WeftNode

/// The hosts file of `weft network init --hosts`: parsing, default ports, the network it describes,
/// and precise refusals.
@Suite struct HostsFileTests {
    static let sample = """
        # three sites
        orderer0.orderer: {host: site-a, address: 10.77.0.11}
        orderer1.orderer: {host: site-b, address: 10.77.0.12}
        orderer2.orderer: {host: site-a, address: 10.77.0.11}
        peer0.org1: {host: site-a, address: 10.77.0.11}
        peer0.org2: {host: site-c, address: peer.org2.example, port: 9051, operationsPort: 9943}
        peer1.org2: {host: site-c, address: peer.org2.example}
        """

    @Test func parsesNodesHostsAndDefaultPorts() throws {
        let hosts = try HostsFile(yaml: Self.sample, source: "hosts.yaml")
        #expect(hosts.placements.map(\.node) == ["orderer0.orderer", "orderer1.orderer", "orderer2.orderer",
                                                  "peer0.org1", "peer0.org2", "peer1.org2"])
        #expect(hosts.hosts == ["site-a", "site-b", "site-c"])
        // A second orderer on site-a moves up by 100; the peer keeps the peer defaults.
        #expect(hosts.placements.map(\.port) == [7050, 7050, 7150, 7051, 9051, 7051])
        #expect(hosts.placements.map(\.operationsPort) == [8443, 8443, 8543, 9443, 9943, 9443])
        #expect(hosts.placement(of: "orderer2.orderer")?.endpoint == "10.77.0.11:7150")
        #expect(hosts.placement(of: "peer1.org2")?.endpoint == "peer.org2.example:7051")

        let specification = hosts.cryptoSpecification()
        #expect(specification.ordererOrganization.orderers == 3)
        #expect(specification.peerOrganizations.map(\.peers) == [1, 2])
        #expect(specification.nodeHosts?["peer0.org1"] == ["site-a", "10.77.0.11"])
        try specification.validate()
    }

    @Test func acceptsIPv6Addresses() throws {
        let hosts = try HostsFile(yaml: """
            orderer0.orderer: {host: a, address: "fd00::11"}
            peer0.org1: {host: b, address: "fd00::21"}
            """, source: "v6.yaml")
        #expect(hosts.placement(of: "orderer0.orderer")?.endpoint == "[fd00::11]:7050")
    }

    /// The refusal for `yaml`, as the CLI prints it.
    private func refusal(_ yaml: String) -> String {
        do {
            _ = try HostsFile(yaml: yaml, source: "hosts.yaml")
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func refusesAnUnknownNode() {
        let message = refusal("""
            orderer0.orderer: {host: a, address: 10.0.0.1}
            peer0.org1: {host: b, address: 10.0.0.2}
            gateway: {host: c, address: 10.0.0.3}
            """)
        #expect(message.hasPrefix("hosts.yaml: unknown node 'gateway'"), "\(message)")
        #expect(refusal("orderer0.orderer: {host: a, address: 10.0.0.1}\npeer00.org1: {host: b, address: 10.0.0.2}")
            .contains("unknown node 'peer00.org1'"))
    }

    @Test func refusesAMissingNodeOrHost() {
        let gap = refusal("""
            orderer0.orderer: {host: a, address: 10.0.0.1}
            peer1.org1: {host: b, address: 10.0.0.2}
            """)
        #expect(gap.contains("peer0.org1 is missing (peers are numbered from 0 without gaps)"), "\(gap)")
        #expect(refusal("peer0.org1: {host: b, address: 10.0.0.2}").contains("orderer0.orderer is missing"))
        let noHost = refusal("""
            orderer0.orderer: {address: 10.0.0.1}
            peer0.org1: {host: b, address: 10.0.0.2}
            """)
        #expect(noHost == "hosts.yaml: orderer0.orderer has no host; write orderer0.orderer: {host: NAME, address: ADDRESS}", "\(noHost)")
        #expect(refusal("orderer0.orderer: {host: a}\npeer0.org1: {host: b, address: 10.0.0.2}").contains("orderer0.orderer has no address"))
    }

    @Test func refusesADuplicateAddress() {
        let message = refusal("""
            orderer0.orderer: {host: a, address: 10.0.0.1}
            peer0.org1: {host: b, address: 10.0.0.1}
            """)
        #expect(message.contains("address 10.0.0.1 is given to two hosts, a and b"), "\(message)")
        let twice = refusal("""
            orderer0.orderer: {host: a, address: 10.0.0.1}
            peer0.org1: {host: a, address: 10.0.0.2}
            """)
        #expect(twice.contains("host a has two addresses, 10.0.0.1 and 10.0.0.2"), "\(twice)")
        let port = refusal("""
            orderer0.orderer: {host: a, address: 10.0.0.1, port: 9000}
            peer0.org1: {host: a, address: 10.0.0.1, port: 9000}
            """)
        #expect(port.contains("peer0.org1: port 9000 is already used by another node of the same host"), "\(port)")
    }

    @Test func refusesABadAddressOrHost() {
        func node(_ entry: String) -> String { refusal("orderer0.orderer: \(entry)\npeer0.org1: {host: b, address: 10.0.0.2}") }
        #expect(node("{host: a, address: 10.77.0.300}") == "hosts.yaml: orderer0.orderer: address '10.77.0.300': not an IPv4 address (four numbers 0–255)")
        #expect(node("{host: a, address: \"10.0.0.1:7050\"}").contains("a port belongs in 'port:'"))
        #expect(node("{host: a, address: 0.0.0.0}").contains("an unspecified address cannot be dialled"))
        #expect(node("{host: a, address: under_score.example}").contains("not an IP address, and not a DNS name"))
        #expect(node("{host: \"site a\", address: 10.0.0.1}").contains("host 'site a': use letters, digits"))
        #expect(node("{host: a, address: 10.0.0.1, port: 70000}").contains("port 70000 is not a port number"))
        #expect(refusal("").contains("hosts.yaml"))
        #expect(refusal("- just\n- a list").hasPrefix("hosts.yaml is not a hosts file"))
    }
}
