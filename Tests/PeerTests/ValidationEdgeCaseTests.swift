import AssetTransfer
import Foundation
import Identity
import Ledger
import PeerTestSupport
import Testing
import WeftClient
import WeftCore
import WeftCrypto

/// The committer's edge cases an attacker or a race reaches: replays, forged envelopes that carry a
/// victim's txID, and writes inside a range an earlier transaction of the block changed.
@Suite struct CommitterEdgeCaseTests {
    func codes(_ harness: inout PeerHarness, _ envelopes: [[UInt8]]) async throws -> [ValidationCode] {
        try await harness.commit(envelopes).transactions.map(\.code)
    }

    func status(_ harness: PeerHarness, _ envelope: [UInt8]) throws -> TransactionStatus? {
        let txID = try Envelope(canonicalBytes: envelope).transaction().signedProposal.proposal().header.txID
        return try harness.peers[0].ledger.read { try $0.transactionStatus(txID: txID) }
    }

    /// An invalid transaction spends its txID: replayed in the same block or a later one, it is a
    /// duplicate, never a second chance at validity.
    @Test func replayedInvalidTransactionIsDuplicate() async throws {
        var harness = try PeerHarness()
        let underEndorsed = try ForgedTransaction(harness: harness, endorsers: [harness.network.peers["Org1"]!]).envelope()
        #expect(try await codes(&harness, [underEndorsed, underEndorsed]) == [.endorsementPolicyFailure, .duplicateTxID])
        #expect(try await codes(&harness, [underEndorsed]) == [.duplicateTxID])
        #expect(try status(harness, underEndorsed)?.validationCode == .endorsementPolicyFailure, "the first one is indexed")

        // An MVCC loser, replayed in a later block: still a duplicate.
        try await harness.commit([try harness.endorse(AssetTransfer.name, "CreateAsset", ["r1", "r", "1", "o", "1"])])
        let toBob = try harness.endorse(AssetTransfer.name, "TransferAsset", ["r1", "bob"])
        let toCarol = try harness.endorse(AssetTransfer.name, "TransferAsset", ["r1", "carol"])
        #expect(try await codes(&harness, [toBob, toCarol]) == [.valid, .mvccReadConflict])
        #expect(try await codes(&harness, [toCarol]) == [.duplicateTxID])
    }

    /// A forged envelope placed before the genuine one, with the victim's txID, does not spend it:
    /// neither a re-signed copy of the victim's transaction (the envelope signature is not the
    /// creator's) nor the attacker's own proposal claiming the victim's txID (txID ≠ hash(nonce ‖ creator)).
    @Test func forgedEnvelopeWithVictimsTxIDDoesNotInvalidateTheGenuineOne() async throws {
        var harness = try PeerHarness()
        let genuine = try harness.endorse(AssetTransfer.name, "CreateAsset", ["v1", "r", "1", "victim", "1"])
        let txID = try Envelope(canonicalBytes: genuine).transaction().signedProposal.proposal().header.txID
        let attacker = harness.network.clients["Org2"]!

        var resigned = try Envelope(canonicalBytes: genuine)
        resigned.signature = try attacker.signature(for: resigned.payload)
        var claimed = ForgedTransaction(harness: harness, creator: attacker)
        claimed.txID = txID
        claimed.arguments = ["v1", "r", "1", "mallory", "1"]

        let block = [resigned.canonicalBytes, try claimed.envelope(), genuine]
        #expect(try await codes(&harness, block) == [.badCreatorSignature, .badProposalTxID, .valid])
        let indexed = try status(harness, genuine)
        #expect(indexed?.txNumber == 2 && indexed?.validationCode == .valid, "the txID index points at the genuine transaction")
        let owner = try harness.peers[0].ledger.read { try $0.value(namespace: AssetTransfer.name, key: "v1") }
        let text = String(decoding: owner?.value ?? [], as: UTF8.self)
        #expect(text.contains("victim"), "the genuine creation took effect")
        #expect(try await codes(&harness, [genuine]) == [.duplicateTxID], "once committed, it is spent")
    }

    /// A transaction whose range read covers a key that an earlier valid transaction of the same block
    /// deleted or updated saw state that no longer exists: a phantom. The same writes after it are not.
    @Test func deleteOrUpdateInsideAnEarlierRangeReadIsAPhantom() async throws {
        var harness = try PeerHarness()
        try await harness.commit([
            try harness.endorse(AssetTransfer.name, "CreateAsset", ["a1", "r", "1", "o", "1"]),
            try harness.endorse(AssetTransfer.name, "CreateAsset", ["a2", "r", "1", "o", "1"]),
        ])
        let scanBeforeDelete = try harness.endorse(AssetTransfer.name, "GetAllAssets", [])
        let delete = try harness.endorse(AssetTransfer.name, "DeleteAsset", ["a1"])
        #expect(try await codes(&harness, [delete, scanBeforeDelete]) == [.valid, .phantomReadConflict])

        let scanBeforeUpdate = try harness.endorse(AssetTransfer.name, "GetAllAssets", [])
        let update = try harness.endorse(AssetTransfer.name, "TransferAsset", ["a2", "bob"])
        #expect(try await codes(&harness, [update, scanBeforeUpdate]) == [.valid, .phantomReadConflict])

        // The range read first, the write second: the scan saw committed state, both are valid.
        let scan = try harness.endorse(AssetTransfer.name, "GetAllAssets", [])
        let later = try harness.endorse(AssetTransfer.name, "TransferAsset", ["a2", "carol"])
        #expect(try await codes(&harness, [scan, later]) == [.valid, .valid])
    }
}

/// The endorser's own refusals, before anything is simulated or signed: each has its status, a message,
/// and no endorsement.
@Suite struct EndorserRefusalTests {
    func expectRefused(_ response: ProposalResponse, _ status: UInt32, _ fragment: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.message)", sourceLocation: sourceLocation)
        #expect(response.message.contains(fragment), "\(response.message)", sourceLocation: sourceLocation)
        #expect(response.endorsement == nil, sourceLocation: sourceLocation)
        #expect(response.payloadBytes.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func unknownChaincodeIs404() throws {
        let harness = try PeerHarness()
        let proposal = try harness.client().proposal(chaincode: "ghost", function: "CreateAsset", ["g", "r", "1", "o", "1"])
        expectRefused(harness.peers[0].endorser.endorse(proposal), 404, "chaincode \"ghost\" is not installed")
    }

    @Test func wrongChannelIs404() throws {
        let harness = try PeerHarness()
        let builder = TransactionBuilder(identity: harness.network.clients["Org1"]!, channelID: "otherchannel")
        let proposal = try builder.proposal(chaincode: AssetTransfer.name, function: "CreateAsset", ["c", "r", "1", "o", "1"])
        expectRefused(harness.peers[0].endorser.endorse(proposal), 404, "does not serve channel \"otherchannel\"")
    }

    /// Signed by someone else, or the creator's own signature in its high-S form: 403.
    @Test func badSignatureIs403() throws {
        let harness = try PeerHarness()
        var proposal = try harness.client().proposal(chaincode: AssetTransfer.name, function: "CreateAsset", ["s", "r", "1", "o", "1"])
        let genuine = proposal.signature
        proposal.signature = try harness.network.clients["Org2"]!.signature(for: proposal.proposalBytes)
        expectRefused(harness.peers[0].endorser.endorse(proposal), 403, "signature does not verify")
        proposal.signature = highS(genuine)
        expectRefused(harness.peers[0].endorser.endorse(proposal), 403, "signature does not verify")
        proposal.signature = genuine
        #expect(harness.peers[0].endorser.endorse(proposal).status == 200, "the untouched proposal is endorsed")
    }

    /// A peer's certificate (role `peer`) may endorse, not propose.
    @Test func nonClientCreatorIs403() throws {
        let harness = try PeerHarness()
        let builder = TransactionBuilder(identity: harness.network.peers["Org1"]!, channelID: PeerHarness.channel)
        let proposal = try builder.proposal(chaincode: AssetTransfer.name, function: "CreateAsset", ["p", "r", "1", "o", "1"])
        expectRefused(harness.peers[0].endorser.endorse(proposal), 403, "creator Org1MSP refused")
    }

    @Test func txIDMismatchIs400() throws {
        let harness = try PeerHarness()
        var forged = ForgedTransaction(harness: harness)
        forged.txID = String(repeating: "0", count: 64)
        expectRefused(harness.peers[0].endorser.endorse(try forged.proposal()), 400, "is not hex(SHA-256(nonce ‖ creator))")
    }

    /// Endorsing a committed txID again is refused; evaluating it (a query) is not.
    @Test func txIDAlreadyCommittedIs409() async throws {
        var harness = try PeerHarness()
        let builder = harness.client()
        let proposal = try builder.proposal(chaincode: AssetTransfer.name, function: "CreateAsset", ["once", "r", "1", "o", "1"])
        let envelope = try builder.envelope(for: proposal, responses: harness.peers.map { $0.endorser.endorse(proposal) })
        #expect(try await harness.commit([envelope.canonicalBytes]).transactions.map(\.code) == [.valid])
        let txID = try proposal.proposal().header.txID
        expectRefused(harness.peers[0].endorser.endorse(proposal), 409, "transaction \(txID) is already in the ledger")
        // The query is simulated: the chaincode itself answers that the asset now exists.
        let evaluated = harness.peers[0].endorser.evaluate(proposal)
        #expect(evaluated.message.contains("the asset once already exists"), "\(evaluated.message)")
        #expect(!evaluated.message.contains("already in the ledger"))
    }
}
