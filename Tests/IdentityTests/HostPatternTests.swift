import Foundation
import Testing
@testable import Identity

/// Extra certificate names for nodes: `{node}` and `{index}` patterns, from the YAML description
/// (per organization and for all) and from `weft crypto generate --host`.
@Suite struct HostPatternTests {
    @Test func expandsPlaceholders() throws {
        let pattern = try HostPattern("{node}.weft.svc.cluster.local", field: "--host")
        #expect(pattern.expand(node: "peer1.org2", index: 1) == "peer1.org2.weft.svc.cluster.local")
        #expect(try HostPattern("org1-peer-{index}.org1-peer", field: "--host").expand(node: "peer3.org1", index: 3)
            == "org1-peer-3.org1-peer")
        #expect(try HostPattern("peer{index}-org1", field: "--host").expand(node: "peer0.org1", index: 0) == "peer0-org1")
        #expect(try HostPattern("::1", field: "--host").expand(node: "peer0.org1", index: 0) == "::1")
        #expect(try HostPattern("10.0.{index}.1", field: "--host").expand(node: "peer0.org1", index: 7) == "10.0.7.1")
    }

    @Test func invalidPatternsNameTheField() {
        func message(_ text: String) -> String {
            do {
                _ = try HostPattern(text, field: "--host")
                return "no error"
            } catch { return error.description }
        }
        #expect(message("").contains("--host '': is empty"))
        #expect(message("{nodes}.example").contains("unknown placeholder '{nodes}'"))
        #expect(message("{node").contains("unknown placeholder '{node'"))
        #expect(message("peer}").contains("unknown placeholder"))
        #expect(message("peer_{index}").contains("--host 'peer_{index}': use letters, digits"))
        #expect(message("{node}..example").contains("empty label"))
        #expect(message(".{node}").contains("empty label"))
        #expect(message("-{node}").contains("starts or ends with '-'"))
        #expect(message("a b").contains("use letters, digits"))
        #expect(message(String(repeating: "a", count: 64) + ".example").contains("longer than 63"))
        #expect(message("*.weft.svc").contains("use letters, digits"))
    }

    @Test func yamlHostsPerOrganizationAndForAll() throws {
        let yaml = """
        ordererOrganization:
          orderers: 2
          hosts: ["orderer-{index}.orderer.weft.svc.cluster.local", "orderer{index}"]
        peerOrganizations:
          - name: Org1
            peers: 2
            users: 0
            hosts: ["org1-peer-{index}.org1-peer.weft.svc.cluster.local", "peer{index}-org1"]
          - name: Org2
            peers: 1
            users: 0
        hosts: ["{node}.weft.example"]
        """
        let specification = try CryptoSpecification(yaml: yaml)
        try specification.validate()
        let organizations = specification.resolvedOrganizations()
        #expect(organizations[0].nodeHosts(1) == [
            "orderer1.orderer", "localhost", "127.0.0.1", "orderer-1.orderer.weft.svc.cluster.local", "orderer1",
            "orderer1.orderer.weft.example",
        ])
        #expect(organizations[1].nodeHosts(0) == [
            "peer0.org1", "localhost", "127.0.0.1", "org1-peer-0.org1-peer.weft.svc.cluster.local", "peer0-org1",
            "peer0.org1.weft.example",
        ])
        #expect(organizations[2].nodeHosts(0) == ["peer0.org2", "localhost", "127.0.0.1", "peer0.org2.weft.example"])
    }

    @Test func invalidYAMLHostsNameTheField() {
        func message(_ yaml: String) -> String {
            do {
                try CryptoSpecification(yaml: yaml).validate()
                return "no error"
            } catch { return error.description }
        }
        let orderer = "ordererOrganization: {orderers: 1}"
        #expect(message("peerOrganizations: [{name: A, peers: 1, users: 0, hosts: ['ok', '']}]\n\(orderer)")
            .contains("peerOrganizations[0].hosts[1] '': is empty"))
        #expect(message("peerOrganizations: [{name: A, peers: 1, users: 0}]\nordererOrganization: {orderers: 1, hosts: ['x_y']}")
            .contains("ordererOrganization.hosts[0] 'x_y'"))
        #expect(message("peerOrganizations: [{name: A, peers: 1, users: 0}]\n\(orderer)\nhosts: ['{node}', '{host}']")
            .contains("hosts[1] '{host}': unknown placeholder"))
        // Names are checked for every node they expand to: a label that only grows too long for node 10.
        let label = String(repeating: "a", count: 62)
        #expect(message("peerOrganizations: [{name: A, peers: 11, users: 0, hosts: ['\(label){index}.x']}]\n\(orderer)")
            .contains("peerOrganizations[0].hosts[0] '\(label){index}.x' for peer10.a: label"))
        #expect(message("peerOrganizations: [{name: A, peers: 1, users: 0, hosts: 'x'}]\n\(orderer)")
            .contains("peerOrganizations[0].hosts"))
    }

    /// The example in docs/crypto-layout.md gives the names the Kubernetes node configurations dial and
    /// the compose service names.
    @Test func documentedKubernetesExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let document = try String(contentsOf: root.appendingPathComponent("docs/crypto-layout.md"), encoding: .utf8)
        let section = try #require(document.range(of: "### Names for containers and Kubernetes"))
        let start = try #require(document.range(of: "```yaml\n", range: section.upperBound..<document.endIndex))
        let end = try #require(document.range(of: "```", range: start.upperBound..<document.endIndex))
        let specification = try CryptoSpecification(yaml: String(document[start.upperBound..<end.lowerBound]))
        try specification.validate()
        let organizations = specification.resolvedOrganizations()
        #expect(organizations.map(\.mspID) == ["OrdererMSP", "Org1MSP", "Org2MSP"])
        #expect(organizations[0].nodeHosts(2) == [
            "orderer2.orderer", "localhost", "127.0.0.1", "orderer-2.orderer.weft.svc.cluster.local",
            "orderer-client.weft.svc.cluster.local", "orderer2",
        ])
        #expect(organizations[1].nodeHosts(1) == [
            "peer1.org1", "localhost", "127.0.0.1", "org1-peer-1.org1-peer.weft.svc.cluster.local",
            "org1-peer-client.weft.svc.cluster.local", "peer1-org1",
        ])
        #expect(organizations[2].nodeHosts(0).contains("org2-peer-0.org2-peer.weft.svc.cluster.local"))
    }
}
