import Identity
import Testing
import WeftCore
@testable import WeftNode

/// The peer gateway's endorsement plan: this peer's organization first, then others in the
/// configuration's order until the chaincode's policy is satisfied.
@Suite struct GatewayPlanTests {
    let channel = ConfigUpdateCheckTests.fixture.channel

    /// The plan for a chaincode whose policy in force is `policy` (nil: none, e.g. not defined).
    func plan(_ policy: String?, contractPolicies: [String: String] = [:]) -> [String] {
        PeerGateway.plan(policy: policy.flatMap { try? EndorsementPolicy($0) }, hasContractPolicies: !contractPolicies.isEmpty,
                         channel: channel, localMSPID: "Org2MSP").map(\.organization)
    }

    @Test func thePolicyDecidesWhoElseEndorses() {
        #expect(plan("OR('Org1.peer','Org2.peer')") == ["Org2"])
        #expect(plan("AND('Org1.peer','Org2.peer')") == ["Org2", "Org1"])
        #expect(plan("'Org1.peer'") == ["Org2", "Org1"])
        #expect(plan("MAJORITY peer") == ["Org2", "Org1"])
        // Unknown policy, or contract policies that writes may need: every organization.
        #expect(plan(nil) == ["Org2", "Org1"])
        #expect(plan("OR('Org1.peer','Org2.peer')", contractPolicies: ["evm:00": "'Org1.peer'"]) == ["Org2", "Org1"])
    }

    @Test func otherOrganizationsAreAskedAtTheirAnchorPeers() {
        let steps = PeerGateway.plan(policy: try? EndorsementPolicy("AND('Org1.peer','Org2.peer')"), hasContractPolicies: false,
                                     channel: channel, localMSPID: "Org2MSP")
        let anchors = channel.config.organizations.first { $0.mspID == "Org1MSP" }!.anchorPeers
        #expect(!anchors.isEmpty)
        #expect(steps[1].peers.map(\.address) == anchors.map(\.address))
        #expect(steps[0].peers.isEmpty)   // this peer endorses itself
    }
}
