import Foundation
import Testing
@testable import Identity

/// `CryptoSpecification.nodeHosts`: extra certificate names of single nodes (their host's name and
/// address, from `weft network init --hosts`).
@Suite struct NodeHostsTests {
    @Test func addsTheNamesOfOneNodeAfterThePatterns() throws {
        var specification = CryptoSpecification.standard(organizations: 2, peers: 2, orderers: 1, users: 0)
        specification.hosts = ["{node}.lan"]
        specification.nodeHosts = ["peer1.org2": ["site-b", "10.77.0.66", "peer1.org2.lan"]]
        try specification.validate()
        let organizations = specification.resolvedOrganizations()
        #expect(organizations[2].nodeHosts(1) == ["peer1.org2", "localhost", "127.0.0.1", "peer1.org2.lan", "site-b", "10.77.0.66"])
        #expect(organizations[2].nodeHosts(0) == ["peer0.org2", "localhost", "127.0.0.1", "peer0.org2.lan"])
        #expect(organizations[0].nodeHosts(0) == ["orderer0.orderer", "localhost", "127.0.0.1", "orderer0.orderer.lan"])
    }

    @Test func refusesAnUnknownNodeOrABadName() {
        func message(_ nodeHosts: [String: [String]]) -> String {
            var specification = CryptoSpecification.standard(organizations: 1, peers: 1, orderers: 1, users: 0)
            specification.nodeHosts = nodeHosts
            do {
                try specification.validate()
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(message(["peer3.org1": ["a"]]).contains("nodeHosts: 'peer3.org1' is not a node of this network"))
        #expect(message(["peer0.org1": ["{node}.lan"]]).contains("nodeHosts.peer0.org1 '{node}.lan'"))
        #expect(message(["peer0.org1": ["site a"]]).contains("nodeHosts.peer0.org1 'site a'"))
    }
}
