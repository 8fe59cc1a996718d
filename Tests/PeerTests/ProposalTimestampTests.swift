import AssetTransfer
import Foundation
import PeerTestSupport
import Testing
import WeftCore

/// The endorser bounds the proposal timestamp as the orderers do: committers validate the creator's
/// certificate at the transaction's timestamp, so a backdated proposal must not get endorsed.
@Suite struct ProposalTimestampTests {
    @Test func backdatedAndFutureProposalsAreRefused() throws {
        let harness = try PeerHarness()
        for offset in [-3600.0, 3600.0] {
            let proposal = try harness.client().proposal(
                chaincode: AssetTransfer.name, function: "CreateAsset", ["late", "red", "1", "al", "1"],
                timestamp: Date().addingTimeInterval(offset))
            let response = harness.peers[0].endorser.endorse(proposal)
            #expect(response.status == 400)
            #expect(response.message.contains(offset < 0 ? "behind this peer's clock" : "ahead of this peer's clock"), "\(response.message)")
            #expect(response.endorsement == nil)
        }
        let onTime = try harness.client().proposal(
            chaincode: AssetTransfer.name, function: "CreateAsset", ["on-time", "red", "1", "al", "1"],
            timestamp: Date().addingTimeInterval(-60))
        #expect(harness.peers[0].endorser.endorse(onTime).status == 200)
    }
}
