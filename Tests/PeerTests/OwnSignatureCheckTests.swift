import Committer
import Foundation
import Identity
import PeerTestSupport
import Testing
import WeftCore
import WeftCrypto

/// A committing peer accepts the endorsements it signed itself by a lookup in its `OwnSignatures`
/// instead of an ECDSA verification — with the same verdict: a signature recorded for one message
/// does not stand for another, and the other organizations' endorsements are verified as always.
@Suite struct OwnSignatureCheckTests {
    private struct Endorsed {
        var forged: ForgedTransaction
        var proposal: SignedProposal
        var payloadBytes: [UInt8]
        var endorsements: [Endorsement]

        func envelope(_ endorsements: [Endorsement]? = nil) throws -> [UInt8] {
            let transaction = Transaction(signedProposal: proposal, responsePayloadBytes: payloadBytes, endorsements: endorsements ?? self.endorsements)
            let bytes = transaction.canonicalBytes
            return Envelope(payload: bytes, signature: try forged.creator.signature(for: bytes)).canonicalBytes
        }

        /// What Org1's endorser records when it signs this endorsement.
        var org1Digest: [UInt8] { SHA256.hash(Endorsement.signedBytes(payloadBytes: payloadBytes, endorser: endorsements[0].endorser)) }
    }

    private func endorsed(_ harness: PeerHarness) throws -> Endorsed {
        let forged = ForgedTransaction(harness: harness)
        let proposal = try forged.proposal()
        let payloadBytes = try forged.payload(for: proposal).canonicalBytes
        return Endorsed(forged: forged, proposal: proposal, payloadBytes: payloadBytes,
                        endorsements: try forged.endorsers.map { try forged.endorsement(by: $0, of: payloadBytes) })
    }

    private func check(_ harness: PeerHarness, own: OwnSignatures) throws -> TransactionCheck {
        TransactionCheck(channelID: PeerHarness.channel, validator: harness.network.validator,
                         policies: ["asset-transfer": try EndorsementPolicy(PeerHarness.policy)], ownSignatures: own)
    }

    @Test func itsOwnEndorsementIsAcceptedAndTheVerdictIsUnchanged() throws {
        let harness = try PeerHarness()
        let transaction = try endorsed(harness)
        let own = OwnSignatures()
        own.record(digest: transaction.org1Digest, signature: transaction.endorsements[0].signature)
        #expect(try check(harness, own: own).check(try transaction.envelope()).code == .valid)
        #expect(try check(harness, own: OwnSignatures()).check(try transaction.envelope()).code == .valid)
    }

    @Test func aRecordedSignatureDoesNotStandForAnotherMessage() throws {
        let harness = try PeerHarness()
        let first = try endorsed(harness)
        let second = try endorsed(harness)
        let own = OwnSignatures()
        for transaction in [first, second] {
            own.record(digest: transaction.org1Digest, signature: transaction.endorsements[0].signature)
        }
        // The first transaction carrying Org1's (genuine, recorded) signature of the second one.
        var mixed = first.endorsements
        mixed[0].signature = second.endorsements[0].signature
        let verdict = try check(harness, own: own).check(try first.envelope(mixed)).code
        #expect(verdict != .valid)
        #expect(verdict == (try check(harness, own: OwnSignatures()).check(try first.envelope(mixed)).code))
    }

    @Test func itKeepsTheLatestSignaturesOnly() throws {
        let own = OwnSignatures(capacity: 2)
        let digests = (0..<3).map { SHA256.hash([UInt8($0)]) }
        for digest in digests { own.record(digest: digest, signature: [0x30, 0x01]) }
        #expect(!own.contains(digest: digests[0], signature: [0x30, 0x01]))
        #expect(own.contains(digest: digests[1], signature: [0x30, 0x01]))
        #expect(own.contains(digest: digests[2], signature: [0x30, 0x01]))
        #expect(!own.contains(digest: digests[2], signature: [0x30, 0x02]))
    }
}
