#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Identity
import NIOConcurrencyHelpers
import WeftClient
import WeftCore
import WeftCrypto
import WeftCommandLine

/// The crypto material and envelopes of `weft bench order`: organizations Org1 and Org2 (a peer each,
/// a client in Org1) and OrdererOrg (three orderers), all with real keys and CA-issued certificates; and
/// endorsed asset-transfer `TransferAsset` envelopes as a client would broadcast them.
struct OrderBenchMaterial: Sendable {
    let validator: IdentityValidator
    let client: SigningIdentity
    let peers: [SigningIdentity]
    let orderers: [SigningIdentity]

    static let channel = "benchchannel"

    init() throws {
        func organization(_ name: String) throws -> CertificateAuthority {
            try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: name, commonName: "ca.\(name.lowercased())"))
        }
        func identity(_ ca: CertificateAuthority, _ org: String, role: String, name: String) throws -> SigningIdentity {
            let key = try P256SigningKey()
            let certificate = try ca.issue(CertificateTemplate(
                subject: DistinguishedName(organization: org, organizationalUnits: [role], commonName: "\(name).\(org.lowercased())"),
                publicKey: key.publicKey))
            return try SigningIdentity(mspID: org + "MSP", certificate: certificate, signingKey: key)
        }
        let cas = try ["Org1", "Org2", "OrdererOrg"].map { ($0, try organization($0)) }
        let membership = try Membership(organizations: cas.map {
            Organization(name: $0.0, mspID: $0.0 + "MSP", caCertificates: [$0.1.certificate])
        })
        validator = IdentityValidator(membership: membership)
        client = try identity(cas[0].1, "Org1", role: "client", name: "user1")
        peers = try [identity(cas[0].1, "Org1", role: "peer", name: "peer0"), identity(cas[1].1, "Org2", role: "peer", name: "peer0")]
        orderers = try (0..<3).map { try identity(cas[2].1, "OrdererOrg", role: "orderer", name: "orderer\($0)") }
    }

    /// `count` distinct endorsed envelopes, built on all cores: a signed proposal, a response payload with
    /// the asset's read and write, two peers' endorsements, and the client's envelope signature.
    func envelopes(count: Int) throws -> [[UInt8]] {
        let results = EnvelopeSlots(count: count)
        let chunks = max(1, ProcessInfo.processInfo.activeProcessorCount * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for index in stride(from: chunk, to: count, by: chunks) {
                results.set(index, Result { try envelope(index) })
            }
        }
        return try results.all()
    }

    private func envelope(_ index: Int) throws -> [UInt8] {
        let builder = TransactionBuilder(identity: client, channelID: Self.channel)
        let asset = "asset\(index)"
        let proposal = try builder.proposal(chaincode: "asset-transfer", function: "TransferAsset", [asset, "Christopher"])
        let value = #"{"AppraisedValue":\#(300 + index % 700),"Color":"blue","ID":"\#(asset)","Owner":"Christopher","#
            + #""PreviousOwner":"Tomoko","Size":\#(5 + index % 20),"Location":"Warehouse \#(index % 17), aisle \#(index % 40)","#
            + #""Notes":"inspected and insured; appraisal document \#(index) filed with the registry","Updated":"2026-11-26T12:00:00Z"}"#
        let readWriteSet = ReadWriteSet(
            reads: [KVRead(namespace: "asset-transfer", key: asset, version: Version(blockNumber: UInt64(index % 1000), txNumber: 3))],
            writes: [KVWrite(namespace: "asset-transfer", key: asset, value: Array(value.utf8))])
        let payload = ProposalResponsePayload(
            proposalHash: SHA256.hash(proposal.proposalBytes), chaincode: "asset-transfer", readWriteSet: readWriteSet,
            event: ChaincodeEvent(chaincode: "asset-transfer", name: "TransferAsset", payload: Array(value.utf8)),
            response: .success(Array(value.utf8)))
        let payloadBytes = payload.canonicalBytes
        let responses = try peers.map { peer in
            let endorsement = Endorsement(
                endorser: peer.serialized,
                signature: try peer.signature(for: Endorsement.signedBytes(payloadBytes: payloadBytes, endorser: peer.serialized)))
            return ProposalResponse(status: ChaincodeResponse.okStatus, message: "", payloadBytes: payloadBytes, endorsement: endorsement)
        }
        return try builder.envelope(for: proposal, responses: responses).canonicalBytes
    }
}

/// Results written by many threads, each to its own slot.
///
/// `@unchecked Sendable`: each slot is written once, under `lock`, and read after every writer finished.
private final class EnvelopeSlots: @unchecked Sendable {
    private let lock = NIOLock()
    private var slots: [Result<[UInt8], any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<[UInt8], any Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func all() throws -> [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        return try slots.map { try ($0 ?? .failure(CLIFailure(.other, "an envelope was not built"))).get() }
    }
}
