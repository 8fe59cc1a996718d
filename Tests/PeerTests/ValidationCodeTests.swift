import AssetTransfer
import Foundation
import Identity
import PeerTestSupport
import Testing
import WeftCore
import WeftCrypto

/// One test per way a transaction can be bad: each gets its validation code, stays in the block, and
/// leaves state untouched; the peer keeps committing.
@Suite struct ValidationCodeTests {
    /// Commits `envelopes` on both peers and returns Org1's codes.
    func codes(_ harness: inout PeerHarness, _ envelopes: [[UInt8]]) async throws -> [ValidationCode] {
        try await harness.commit(envelopes).transactions.map(\.code)
    }

    @Test func forgedEnvelopeSignature() async throws {
        var harness = try PeerHarness()
        var envelope = try Envelope(canonicalBytes: try harness.endorse(AssetTransfer.name, "CreateAsset", ["f1", "r", "1", "o", "1"]))
        envelope.signature = try harness.network.clients["Org2"]!.signature(for: envelope.payload)
        #expect(try await codes(&harness, [envelope.canonicalBytes]) == [.badCreatorSignature])
    }

    @Test func highSEnvelopeSignature() async throws {
        var harness = try PeerHarness()
        var envelope = try Envelope(canonicalBytes: try harness.endorse(AssetTransfer.name, "CreateAsset", ["h1", "r", "1", "o", "1"]))
        let creatorKey = try Certificate(derRepresentation: harness.network.clients["Org1"]!.serialized.certificate).publicKey
        envelope.signature = highS(envelope.signature)
        #expect(creatorKey.isValidSignatureRaw(envelope.signature, for: envelope.payload), "the twin is valid plain ECDSA")
        #expect(try await codes(&harness, [envelope.canonicalBytes]) == [.badCreatorSignature])
    }

    @Test func creatorFromUnknownCA() async throws {
        var harness = try PeerHarness()
        let rogueCA = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Org1", commonName: "rogue"))
        let impostor = try TestNetwork.identity(in: .init(name: "Org1", mspID: "Org1MSP", ca: rogueCA), role: "client", name: "eve")
        let envelope = try ForgedTransaction(harness: harness, creator: impostor).envelope()
        #expect(try await codes(&harness, [envelope]) == [.invalidCreator])
    }

    @Test func expiredCreatorCertificate() async throws {
        var harness = try PeerHarness()
        let expired = try TestNetwork.identity(in: harness.network.orgs["Org1"]!, role: "client", name: "old",
                                               notBefore: Date().addingTimeInterval(-7200), notAfter: Date().addingTimeInterval(-3600))
        let envelope = try ForgedTransaction(harness: harness, creator: expired).envelope()
        #expect(try await codes(&harness, [envelope]) == [.invalidCreator])
    }

    @Test func clientCertificateUsedAsEndorser() async throws {
        var harness = try PeerHarness()
        let forged = ForgedTransaction(harness: harness, endorsers: [harness.network.peers["Org1"]!, harness.network.clients["Org2"]!])
        #expect(try await codes(&harness, [try forged.envelope()]) == [.endorsementPolicyFailure])
    }

    @Test func missingEndorsementForPolicy() async throws {
        var harness = try PeerHarness()
        let forged = ForgedTransaction(harness: harness, endorsers: [harness.network.peers["Org1"]!])
        let twice = ForgedTransaction(harness: harness, endorsers: [harness.network.peers["Org1"]!, harness.network.peers["Org1"]!])
        #expect(try await codes(&harness, [try forged.envelope(), try twice.envelope()]) == [.endorsementPolicyFailure, .endorsementPolicyFailure])
    }

    @Test func mismatchedPayloads() async throws {
        var harness = try PeerHarness()
        let forged = ForgedTransaction(harness: harness)
        let envelope = try forged.envelope { transaction in
            // Org2 endorsed a different result (another owner) than the payload submitted.
            var other = try ProposalResponsePayload(canonicalBytes: transaction.responsePayloadBytes)
            other.response.payload = Array("different".utf8)
            transaction.endorsements[1] = try forged.endorsement(by: harness.network.peers["Org2"]!, of: other.canonicalBytes)
        }
        #expect(try await codes(&harness, [envelope]) == [.badEndorsement])
        #expect(throws: Error.self, "the client refuses to assemble mismatched endorsements") {
            let builder = harness.client()
            let proposal = try builder.proposal(chaincode: AssetTransfer.name, function: "ReadAsset", ["none"])
            let a = ProposalResponse(status: 200, message: "", payloadBytes: [1], endorsement: Endorsement(endorser: harness.network.peers["Org1"]!.serialized, signature: []))
            let b = ProposalResponse(status: 200, message: "", payloadBytes: [2], endorsement: Endorsement(endorser: harness.network.peers["Org2"]!.serialized, signature: []))
            _ = try builder.envelope(for: proposal, responses: [a, b])
        }
    }

    @Test func duplicateTxIDInSameBlockAndInEarlierBlock() async throws {
        var harness = try PeerHarness()
        let envelope = try harness.endorse(AssetTransfer.name, "CreateAsset", ["d1", "r", "1", "o", "1"])
        #expect(try await codes(&harness, [envelope, envelope]) == [.valid, .duplicateTxID])
        #expect(try await codes(&harness, [envelope]) == [.duplicateTxID])
    }

    @Test func mvccConflictInsideBlockAndAgainstCommittedState() async throws {
        var harness = try PeerHarness()
        try await harness.commit([try harness.endorse(AssetTransfer.name, "CreateAsset", ["m1", "r", "1", "o", "1"])])
        let toBob = try harness.endorse(AssetTransfer.name, "TransferAsset", ["m1", "bob"])
        let toCarol = try harness.endorse(AssetTransfer.name, "TransferAsset", ["m1", "carol"])
        let toDave = try harness.endorse(AssetTransfer.name, "TransferAsset", ["m1", "dave"])
        #expect(try await codes(&harness, [toBob, toCarol]) == [.valid, .mvccReadConflict])
        #expect(try await codes(&harness, [toDave]) == [.mvccReadConflict], "endorsed before bob's transfer committed")
        let owner = try harness.peers[0].ledger.read { try $0.value(namespace: AssetTransfer.name, key: "m1") }
        let text = String(decoding: owner?.value ?? [], as: UTF8.self)
        #expect(text.contains("bob"))
    }

    @Test func phantomRead() async throws {
        var harness = try PeerHarness()
        try await harness.commit([try harness.endorse(AssetTransfer.name, "CreateAsset", ["p1", "r", "1", "o", "1"])])
        let scan = try harness.endorse(AssetTransfer.name, "GetAllAssets", [])
        try await harness.commit([try harness.endorse(AssetTransfer.name, "CreateAsset", ["p2", "r", "1", "o", "1"])])
        #expect(try await codes(&harness, [scan]) == [.phantomReadConflict])
    }

    @Test func unknownChaincode() async throws {
        var harness = try PeerHarness()
        var forged = ForgedTransaction(harness: harness)
        forged.chaincode = "ghost"
        #expect(try await codes(&harness, [try forged.envelope()]) == [.invalidChaincode])
    }

    @Test func malformedEnvelopesWrongChannelBadTxIDAndFailedResponse() async throws {
        var harness = try PeerHarness()
        var wrongChannel = ForgedTransaction(harness: harness)
        wrongChannel.channel = "otherchannel"
        var badTxID = ForgedTransaction(harness: harness)
        badTxID.txID = String(repeating: "0", count: 64)
        var failed = ForgedTransaction(harness: harness)
        failed.function = "ReadAsset"
        failed.arguments = ["nothing-here"]
        let codes = try await codes(&harness, [[], [1, 2, 3], try wrongChannel.envelope(), try badTxID.envelope(), try failed.envelope()])
        #expect(codes == [.nilEnvelope, .badPayload, .badChannelHeader, .badProposalTxID, .invalidEndorserTransaction])
        let valid = try harness.endorse(AssetTransfer.name, "CreateAsset", ["after", "r", "1", "o", "1"])
        #expect(try await self.codes(&harness, [valid]) == [.valid], "the committer keeps going")
    }
}

@Suite struct IllegalWritesetTests {
    @Test func writesToAnotherChaincodesNamespaceAreIllegal() async throws {
        var harness = try PeerHarness()
        let forged = ForgedTransaction(harness: harness)
        let envelope = try forged.envelope { transaction in
            var payload = try ProposalResponsePayload(canonicalBytes: transaction.responsePayloadBytes)
            payload.readWriteSet.writes.append(KVWrite(namespace: "smallbank", key: "checking_1", value: Array("999999".utf8)))
            transaction.responsePayloadBytes = payload.canonicalBytes
            transaction.endorsements = try [harness.network.peers["Org1"]!, harness.network.peers["Org2"]!].map {
                try forged.endorsement(by: $0, of: transaction.responsePayloadBytes)
            }
        }
        #expect(try await harness.commit([envelope]).transactions.map(\.code) == [.illegalWriteset])
    }

    /// Writes the ledger cannot store (an empty key, a NUL in the namespace) make the transaction
    /// invalid; they must never fail the block, which every peer would then refuse forever.
    @Test func writesTheLedgerCannotStoreAreIllegalAndTheBlockCommits() async throws {
        var harness = try PeerHarness()
        let forged = ForgedTransaction(harness: harness)
        var envelopes: [[UInt8]] = []
        for write in [KVWrite(namespace: AssetTransfer.name, key: "", value: [1]),
                      KVWrite(namespace: AssetTransfer.name + ":\u{0}x", key: "k", value: [1])] {
            envelopes.append(try forged.envelope { transaction in
                var payload = try ProposalResponsePayload(canonicalBytes: transaction.responsePayloadBytes)
                payload.readWriteSet.writes.append(write)
                transaction.responsePayloadBytes = payload.canonicalBytes
                transaction.endorsements = try [harness.network.peers["Org1"]!, harness.network.peers["Org2"]!].map {
                    try forged.endorsement(by: $0, of: transaction.responsePayloadBytes)
                }
            })
        }
        let valid = try harness.endorse(AssetTransfer.name, "CreateAsset", ["stored", "r", "1", "o", "1"])
        let block = try await harness.commit(envelopes + [valid])
        #expect(block.transactions.map(\.code) == [.illegalWriteset, .illegalWriteset, .valid])
    }
}
