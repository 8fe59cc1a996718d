import Testing
import WeftCore
@testable import WeftNode

/// The peer gateway's endorsement plan: this peer's organization first, then others in the
/// configuration's order until the chaincode's policy is satisfied.
@Suite struct GatewayPlanTests {
    let channel = ConfigUpdateCheckTests.fixture.channel

    func plan(_ policy: String?, contractPolicies: [String: String] = [:], chaincode: String = "cc") -> [String] {
        let definitions = policy.map { [ChaincodeDefinition(name: chaincode, version: "1", sequence: 2, policy: $0, contractPolicies: contractPolicies)] } ?? []
        return PeerGateway.plan(chaincode: chaincode, definitions: definitions, channel: channel, localMSPID: "Org2MSP").map(\.organization)
    }

    @Test func thePolicyDecidesWhoElseEndorses() {
        #expect(plan("OR('Org1.peer','Org2.peer')") == ["Org2"])
        #expect(plan("AND('Org1.peer','Org2.peer')") == ["Org2", "Org1"])
        #expect(plan("'Org1.peer'") == ["Org2", "Org1"])
        #expect(plan("MAJORITY peer") == ["Org2", "Org1"])
        // Unknown policy, or contract policies that writes may need: every organization.
        #expect(plan(nil, chaincode: "nothing-defined") == ["Org2", "Org1"])
        #expect(plan("OR('Org1.peer','Org2.peer')", contractPolicies: ["evm:00": "'Org1.peer'"]) == ["Org2", "Org1"])
    }

    @Test func otherOrganizationsAreAskedAtTheirAnchorPeers() {
        let steps = PeerGateway.plan(chaincode: "cc", definitions: [ChaincodeDefinition(name: "cc", version: "1", sequence: 2, policy: "AND('Org1.peer','Org2.peer')")],
                                     channel: channel, localMSPID: "Org2MSP")
        let anchors = channel.config.organizations.first { $0.mspID == "Org1MSP" }!.anchorPeers
        #expect(!anchors.isEmpty)
        #expect(steps[1].peers.map(\.address) == anchors.map(\.address))
        #expect(steps[0].peers.isEmpty)   // this peer endorses itself
    }
}
