import Testing
import WeftCore
import WeftTestSupport

/// Round trips of every canonical type, and the totality of decoding on hostile input.
@Suite struct TransactionCodecTests {
    static let creator = SerializedIdentity(mspID: "Org1MSP", certificate: [0x30, 0x82, 0x01, 0x02, 0xaa])

    static func sampleEnvelope() -> Envelope {
        let header = ProposalHeader(
            channelID: "mychannel", txID: String(repeating: "ab", count: 32), creator: creator,
            nonce: [UInt8](repeating: 7, count: 24), timestamp: 1_700_000_000_123)
        let proposal = Proposal(header: header, chaincode: "asset-transfer", function: "TransferAsset",
                                arguments: [Array("asset1".utf8), Array("bob".utf8), []])
        let signed = SignedProposal(proposalBytes: proposal.canonicalBytes, signature: [1, 2, 3])
        let rwset = ReadWriteSet(
            reads: [KVRead(namespace: "asset-transfer", key: "asset1", version: Version(blockNumber: 3, txNumber: 9)),
                    KVRead(namespace: "asset-transfer", key: "asset2", version: nil)],
            rangeReads: [RangeRead(namespace: "asset-transfer", startKey: "a", endKey: "b",
                                   results: [KVRead(namespace: "asset-transfer", key: "a1", version: Version(blockNumber: 1, txNumber: 0))])],
            writes: [KVWrite(namespace: "asset-transfer", key: "asset1", value: Array("{}".utf8)),
                     KVWrite(namespace: "asset-transfer", key: "gone", value: nil)])
        let payload = ProposalResponsePayload(
            proposalHash: [UInt8](repeating: 9, count: 32), chaincode: "asset-transfer", readWriteSet: rwset,
            event: ChaincodeEvent(chaincode: "asset-transfer", name: "Transfer", payload: [4]),
            response: .success(Array("ok".utf8)))
        let endorsement = Endorsement(endorser: SerializedIdentity(mspID: "Org2MSP", certificate: [5]), signature: [6, 7])
        let transaction = Transaction(signedProposal: signed, responsePayloadBytes: payload.canonicalBytes,
                                      endorsements: [endorsement, endorsement])
        return Envelope(payload: transaction.canonicalBytes, signature: [8, 9])
    }

    @Test func everyTypeRoundTrips() throws {
        let envelope = Self.sampleEnvelope()
        #expect(try Envelope(canonicalBytes: envelope.canonicalBytes) == envelope)
        let transaction = try envelope.transaction()
        #expect(try Transaction(canonicalBytes: transaction.canonicalBytes) == transaction)
        let proposal = try transaction.signedProposal.proposal()
        #expect(proposal.function == "TransferAsset" && proposal.arguments.count == 3)
        let payload = try ProposalResponsePayload(canonicalBytes: transaction.responsePayloadBytes)
        #expect(payload.readWriteSet.writes[1].isDelete)
        let response = ProposalResponse(status: 200, message: "", payloadBytes: payload.canonicalBytes,
                                        endorsement: transaction.endorsements[0])
        #expect(try ProposalResponse(canonicalBytes: response.canonicalBytes) == response)
        for code in ValidationCode.allCases {
            #expect(try ValidationCode(canonicalBytes: code.canonicalBytes) == code)
            #expect(ValidationCode(name: code.name) == code)
        }
        #expect(try Version(canonicalBytes: Version(blockNumber: .max, txNumber: 1).canonicalBytes).blockNumber == .max)
    }

    @Test func unknownValidationCodeIsRejected() {
        #expect(throws: DecodingError.invalidValue(offset: 0, "unknown validation code 77")) {
            try ValidationCode(canonicalBytes: [77])
        }
    }

    /// 100,000 hostile inputs: random bytes, truncations and single-byte corruptions of valid encodings.
    /// Each must decode or throw; none may trap.
    @Test func hostileInputsDecodeOrThrow() {
        var rng = SeededGenerator(seed: 0x5eed)
        let valid = Self.sampleEnvelope().canonicalBytes
        let transactionBytes = (try? Envelope(canonicalBytes: valid))?.payload ?? []
        var decoded = 0
        var rejected = 0
        for round in 0..<100_000 {
            var input: [UInt8]
            switch round % 4 {
            case 0: input = rng.bytes(Int.random(in: 0...64, using: &rng))
            case 1: input = Array(valid.prefix(Int.random(in: 0..<valid.count, using: &rng)))
            case 2:
                input = transactionBytes
                input[Int.random(in: 0..<input.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            default:
                input = valid
                let at = Int.random(in: 0..<input.count, using: &rng)
                input[at] = 0xff
            }
            // Every decoder is tried on every input (no short-circuit), so each sees hostile bytes.
            let results = [
                (try? Envelope(canonicalBytes: input)) != nil,
                (try? Transaction(canonicalBytes: input)) != nil,
                (try? ProposalResponse(canonicalBytes: input)) != nil,
            ]
            let ok = results.contains(true)
            if ok { decoded += 1 } else { rejected += 1 }
        }
        #expect(decoded + rejected == 100_000)
        #expect(rejected > 50_000, "most corrupted inputs must be rejected")
    }
}

@Suite struct MessageCodecTests {
    @Test func blockEventsRoundTrip() throws {
        let events = BlockEvents(blockNumber: 7, transactions: [
            .init(txID: "ab", txNumber: 0, code: .valid, chaincodeEvent: ChaincodeEvent(chaincode: "cc", name: "E", payload: [1])),
            .init(txID: "cd", txNumber: 1, code: .mvccReadConflict, chaincodeEvent: nil),
        ], commitHash: [UInt8](repeating: 3, count: 32))
        #expect(try BlockEvents(canonicalBytes: events.canonicalBytes) == events)
    }

    @Test func stateTypesRoundTrip() throws {
        let version = Version(blockNumber: 1, txNumber: 2)
        let entry = StateEntry(key: "k", value: [1, 2], version: version)
        #expect(try StateEntry(canonicalBytes: entry.canonicalBytes) == entry)
        let deletion = KeyModification(txID: "t", version: version, value: nil)
        #expect(try KeyModification(canonicalBytes: deletion.canonicalBytes) == deletion)
        let value = VersionedValue(value: [], version: version)
        #expect(try VersionedValue(canonicalBytes: value.canonicalBytes) == value)
    }
}
