import Committer
import Foundation
import Identity
import Orderer
import Raft
import Testing
import WeftCore
import WeftCrypto

/// What the ordering service trusts of its own members: forwarded envelopes are checked again by the
/// leader, and peers count only consenters' block signatures.
@Suite(.serialized) struct ConsenterTrustTests {
    @Test func aForwardedEnvelopeWithABadSignatureIsRefusedByTheLeader() async throws {
        try await TestCluster.run { cluster in
            let (leader, _) = try await cluster.electLeader()
            let good = try cluster.envelopes.envelope(tag: 7)
            let forged = try EnvelopeFactory.resigned(try cluster.envelopes.envelope(tag: 8), signature: Array(repeating: 0x30, count: 70))
            let refused = await cluster.nodes[leader]!.forwarded(forged)
            #expect(refused.status != .success, "\(refused)")
            let wrongRole = await cluster.nodes[leader]!.forwarded(
                try cluster.envelopes.envelope(tag: 9, signer: cluster.identities.peers["Org1"]!))
            #expect(wrongRole.status == .forbidden, "\(wrongRole)")
            #expect(await cluster.nodes[leader]!.forwarded(good).status == .success)
            try await cluster.waitForHeight(1)
            let ordered = try cluster.chain(of: leader).flatMap(\.data)
            #expect(ordered == [good])
        }
    }

    @Test func peersCountOnlyConsentersSignatures() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.electLeader()
            _ = await cluster.broadcast(try cluster.envelopes.envelope(tag: 1), to: 1)
            try await cluster.waitForHeight(1)
            let pinned = cluster.configuration(for: 1).signer.certificate.publicKey.sha256Hex
            let check = BlockSignatureCheck(
                validator: cluster.identities.validator, policy: try EndorsementPolicy("ANY orderer"), consenterSigningKeys: [pinned])
            let fromConsenter = try cluster.chain(of: 1)[0]
            #expect(check.failure(of: fromConsenter, at: Date()) == nil)
            let fromOther = try cluster.chain(of: 2)[0]
            let failure = check.failure(of: fromOther, at: Date())
            #expect(failure?.contains("is not a consenter of the channel") == true, "\(String(describing: failure))")
        }
    }
}
