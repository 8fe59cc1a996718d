import Testing
import WeftCore
import WeftTestSupport

/// Golden bytes for everything a client or endorser signs: the expected encodings are written out field
/// by field from docs/encoding.md ("Primitives", "Transactions"), never produced with `ByteWriter`, so a
/// change to the library's encoding — an extra field, a reordered one, a different length width — fails
/// here instead of silently changing what signatures cover.
///
/// The hex fragments were written by hand; the one digest that appears inside a structure
/// (`ProposalResponsePayload.proposalHash`) and the txID were computed with the `openssl` command:
///
///     printf '%s' "<hex>" | xxd -r -p | openssl dgst -sha256
///
/// Each test also decodes the golden bytes back, so both directions of the codec are pinned.
@Suite struct GoldenTransactionBytesTests {
    // MARK: Values

    /// A creator with a stand-in certificate (the encoding does not parse it).
    static let creator = SerializedIdentity(mspID: "Org1MSP", certificate: [0x30, 0x03, 0x02, 0x01, 0x01])
    static let nonce = (0..<24).map(UInt8.init)
    /// hex(SHA-256(nonce ‖ canonical(creator))) = SHA-256 of `nonce` hex then `creatorHex`, by openssl.
    static let txID = "6e62053e8e9af99e5579efadfbd97cf1a06b59a9ff979e785d7b3539d3a34fb7"
    static let timestamp: Int64 = 1_700_000_000_123

    static let header = ProposalHeader(channelID: "mychannel", txID: txID, creator: creator, nonce: nonce, timestamp: timestamp)
    static let proposal = Proposal(header: header, chaincode: "basic", function: "Put", arguments: [Array("k".utf8), Array("v".utf8)])
    static let signedProposal = SignedProposal(proposalBytes: proposalHex.bytes, signature: [0xde, 0xad, 0xbe, 0xef])

    static let version = Version(blockNumber: 2, txNumber: 1)
    static let responsePayload = ProposalResponsePayload(
        proposalHash: HexLiteral("d6538b68c45cb063d0ce73fe7507740f4dfaf6b50907b813b7e8e3c034bac89d").bytes,
        chaincode: "basic",
        readWriteSet: ReadWriteSet(
            reads: [KVRead(namespace: "basic", key: "k", version: version)],
            rangeReads: [RangeRead(namespace: "basic", startKey: "a", endKey: "m",
                                   results: [KVRead(namespace: "basic", key: "k", version: version)])],
            writes: [KVWrite(namespace: "basic", key: "k", value: Array("v".utf8)),
                     KVWrite(namespace: "basic", key: "z", value: nil)]),
        event: ChaincodeEvent(chaincode: "basic", name: "Put", payload: []),
        response: ChaincodeResponse(status: 200, message: "", payload: Array("ok".utf8)))
    static let endorser = SerializedIdentity(mspID: "Org2MSP", certificate: [0x30, 0x00])
    static let endorsement = Endorsement(endorser: endorser, signature: [0x01, 0x02])
    static let transaction = Transaction(
        signedProposal: signedProposal, responsePayloadBytes: responsePayloadHex.bytes, endorsements: [endorsement])
    static let envelope = Envelope(payload: transactionHex.bytes, signature: [0x0a, 0x0b])

    // MARK: Expected bytes, by hand

    static let basic = "00000005 6261736963"                       // string "basic"
    static let creatorHex = HexLiteral("""
        00000007 4f7267314d5350                                     # mspID "Org1MSP"
        00000005 3003020101                                         # certificate (bytes)
        """)
    static let headerHex = HexLiteral("""
        00000009 6d796368616e6e656c                                 # channelID "mychannel"
        00000040 36653632303533653865396166393965353537396566616466 # txID: 64 ASCII hex digits
                 62643937636631613036623539613966663937396537383564
                 3762333533396433613334666237
        """) + creatorHex + HexLiteral("""
        00000018 000102030405060708090a0b0c0d0e0f1011121314151617   # nonce (bytes, 24)
        0000018bcfe5687b                                            # timestamp i64 = 1700000000123
        """)
    static let proposalHex = headerHex + HexLiteral("""
        \(basic)                                                    # chaincode
        00000003 507574                                             # function "Put"
        00000002 00000001 6b 00000001 76                            # arguments: list<bytes> ["k", "v"]
        """)
    static let signedProposalHex = HexLiteral("000000a7") + proposalHex + HexLiteral("""
        00000004 deadbeef                                           # signature
        """)
    static let kReadHex = HexLiteral("""
        \(basic) 00000001 6b                                        # namespace, key "k"
        01 0000000000000002 00000001                                # version present: block 2, tx 1
        """)
    static let responsePayloadHex = HexLiteral("""
        00000020 d6538b68c45cb063d0ce73fe7507740f4dfaf6b50907b813b7e8e3c034bac89d  # proposalHash
        \(basic)                                                    # chaincode
        00000001                                                    # reads: 1
        """) + kReadHex + HexLiteral("""
        00000001 \(basic) 00000001 61 00000001 6d                   # rangeReads: 1, "basic" ["a", "m")
        00000001                                                    #   results: 1
        """) + kReadHex + HexLiteral("""
        00000002                                                    # writes: 2
        \(basic) 00000001 6b 01 00000001 76                         #   k = "v"
        \(basic) 00000001 7a 00                                     #   delete z
        01 \(basic) 00000003 507574 00000000                        # event present: basic, "Put", no payload
        000000c8 00000000 00000002 6f6b                             # response: 200, "", "ok"
        """)
    static let endorsementHex = HexLiteral("""
        00000007 4f7267324d5350 00000002 3000                       # endorser "Org2MSP", certificate 3000
        00000002 0102                                               # signature
        """)
    static let transactionHex = signedProposalHex + HexLiteral("""
        000000cc                                                    # responsePayloadBytes length (204)
        """) + responsePayloadHex + HexLiteral("00000001") + endorsementHex
    static let envelopeHex = HexLiteral("0000019e") + transactionHex + HexLiteral("00000002 0a0b")

    // MARK: Tests

    @Test func serializedIdentity() throws {
        #expect(Self.creator.canonicalBytes == Self.creatorHex.bytes)
        #expect(try SerializedIdentity(canonicalBytes: Self.creatorHex.bytes) == Self.creator)
    }

    @Test func proposalHeader() throws {
        #expect(Self.header.canonicalBytes == Self.headerHex.bytes)
        #expect(try ProposalHeader(canonicalBytes: Self.headerHex.bytes) == Self.header)
    }

    @Test func proposal() throws {
        #expect(Self.proposalHex.bytes.count == 0xa7)
        #expect(Self.proposal.canonicalBytes == Self.proposalHex.bytes)
        #expect(try Proposal(canonicalBytes: Self.proposalHex.bytes) == Self.proposal)
    }

    @Test func signedProposal() throws {
        #expect(Self.signedProposal.canonicalBytes == Self.signedProposalHex.bytes)
        let decoded = try SignedProposal(canonicalBytes: Self.signedProposalHex.bytes)
        #expect(decoded == Self.signedProposal)
        #expect(try decoded.proposal() == Self.proposal)
    }

    @Test func proposalResponsePayload() throws {
        #expect(Self.responsePayloadHex.bytes.count == 0xcc)
        #expect(Self.responsePayload.canonicalBytes == Self.responsePayloadHex.bytes)
        #expect(try ProposalResponsePayload(canonicalBytes: Self.responsePayloadHex.bytes) == Self.responsePayload)
    }

    /// What an endorser signs: the response payload bytes, then its own canonical identity.
    @Test func endorsementSignedBytes() throws {
        let signed = Endorsement.signedBytes(payloadBytes: Self.responsePayloadHex.bytes, endorser: Self.endorser)
        #expect(signed == Self.responsePayloadHex.bytes + HexLiteral("00000007 4f7267324d5350 00000002 3000").bytes)
        #expect(Self.endorsement.canonicalBytes == Self.endorsementHex.bytes)
    }

    @Test func transactionAndEnvelope() throws {
        #expect(Self.transactionHex.bytes.count == 0x19e)
        #expect(Self.transaction.canonicalBytes == Self.transactionHex.bytes)
        #expect(Self.envelope.canonicalBytes == Self.envelopeHex.bytes)
        let decoded = try Envelope(canonicalBytes: Self.envelopeHex.bytes)
        #expect(decoded == Self.envelope)
        #expect(try decoded.transaction() == Self.transaction)
    }

    /// One trailing byte after a golden value is refused: each value has exactly one encoding.
    @Test func trailingByteIsRefused() {
        #expect(throws: WeftCore.DecodingError.self) { try Envelope(canonicalBytes: Self.envelopeHex.bytes + [0]) }
        #expect(throws: WeftCore.DecodingError.self) { try Proposal(canonicalBytes: Self.proposalHex.bytes + [0]) }
    }
}
