import AssetTransfer
import Execution
import Foundation
import Identity
import PeerTestSupport
import WeftCore
import WeftCrypto

/// Builds transactions the way a misbehaving client or peer could, bypassing endorser checks: the
/// payload is simulated directly and endorsements are signed by whichever identities the test names.
struct ForgedTransaction {
    var creator: SigningIdentity
    var channel = PeerHarness.channel
    var chaincode = "asset-transfer"
    var function = "CreateAsset"
    var arguments = ["forged1", "blue", "1", "mallory", "1"]
    var endorsers: [SigningIdentity]
    var txID: String?
    var timestamp = Date()
    /// The registry used to simulate (by default the harness's samples plus a `ghost` chaincode).
    var registry = ForgedTransaction.registry

    static let registry = ChaincodeRegistry([
        InstalledChaincode(name: "asset-transfer", chaincode: AssetTransfer(), endorsementPolicy: ""),
        InstalledChaincode(name: "ghost", chaincode: AssetTransfer(), endorsementPolicy: ""),
    ])

    init(harness: PeerHarness, creator: SigningIdentity? = nil, endorsers: [SigningIdentity]? = nil) {
        self.creator = creator ?? harness.network.clients["Org1"]!
        self.endorsers = endorsers ?? [harness.network.peers["Org1"]!, harness.network.peers["Org2"]!]
    }

    func proposal() throws -> SignedProposal {
        let nonce = try SecureRandom.bytes(count: 24)
        let header = ProposalHeader(
            channelID: channel, txID: txID ?? TransactionID.compute(nonce: nonce, creator: creator.serialized),
            creator: creator.serialized, nonce: nonce, timestamp: Int64(timestamp.timeIntervalSince1970 * 1000))
        let bytes = Proposal(header: header, chaincode: chaincode, function: function,
                             arguments: arguments.map { Array($0.utf8) }).canonicalBytes
        return SignedProposal(proposalBytes: bytes, signature: try creator.signature(for: bytes))
    }

    func payload(for proposal: SignedProposal, on state: any StateSnapshot = InMemoryState()) throws -> ProposalResponsePayload {
        try Simulator(registry: registry).simulate(try proposal.proposal(), proposalHash: SHA256.hash(proposal.proposalBytes), on: state).payload
    }

    func endorsement(by endorser: SigningIdentity, of payloadBytes: [UInt8]) throws -> Endorsement {
        let signed = Endorsement.signedBytes(payloadBytes: payloadBytes, endorser: endorser.serialized)
        return Endorsement(endorser: endorser.serialized, signature: try endorser.signature(for: signed))
    }

    /// The envelope bytes; `tamper` may change the transaction before the creator signs it.
    func envelope(on state: any StateSnapshot = InMemoryState(), tamper: (inout Transaction) throws -> Void = { _ in }) throws -> [UInt8] {
        let proposal = try proposal()
        let payloadBytes = try payload(for: proposal, on: state).canonicalBytes
        var transaction = Transaction(signedProposal: proposal, responsePayloadBytes: payloadBytes,
                                      endorsements: try endorsers.map { try endorsement(by: $0, of: payloadBytes) })
        try tamper(&transaction)
        let bytes = transaction.canonicalBytes
        return Envelope(payload: bytes, signature: try creator.signature(for: bytes)).canonicalBytes
    }
}

/// Turns a low-S DER ECDSA P-256 signature into its high-S twin (s → n − s), which verifies under plain
/// ECDSA but must be rejected by the ledger.
func highS(_ der: [UInt8]) -> [UInt8] {
    let order: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ]
    let rLength = Int(der[3])
    let r = Array(der[4..<4 + rLength])
    let sStart = 4 + rLength + 2
    let s = Array(repeating: 0, count: 32 - (der.count - sStart)) + Array(der[sStart...]).suffix(32)
    var difference = [UInt8](repeating: 0, count: 32)
    var borrow = 0
    for index in (0..<32).reversed() {
        var value = Int(order[index]) - Int(s[index]) - borrow
        borrow = value < 0 ? 1 : 0
        if value < 0 { value += 256 }
        difference[index] = UInt8(value)
    }
    var high = Array(difference.drop { $0 == 0 })
    if let first = high.first, first & 0x80 != 0 { high.insert(0, at: 0) }
    let body = [0x02, UInt8(r.count)] + r + [0x02, UInt8(high.count)] + high
    return [0x30, UInt8(body.count)] + body
}
