import Foundation
import Identity
import PeerTestSupport
import Testing
import WeftCore
import WeftCrypto

/// `_lifecycle` transactions a misbehaving endorser or client could assemble without running the
/// chaincode: each is invalid at commit (`LifecycleRules`), and state keeps no trace of it.
@Suite struct LifecycleForgeryTests {
    /// A `_lifecycle` (or `chaincode`) envelope with `writes` as its read-write set, created by `creator`
    /// and endorsed by `endorsers`, as a peer that signs whatever it is given would produce.
    static func forged(
        _ harness: PeerHarness, creator: SigningIdentity, writes: [KVWrite], endorsers: [SigningIdentity], function: String = "approve",
        chaincode: String = LifecycleKeys.namespace
    ) throws -> [UInt8] {
        var forged = ForgedTransaction(harness: harness, creator: creator, endorsers: endorsers)
        forged.chaincode = chaincode
        forged.function = function
        forged.arguments = []
        let proposal = try forged.proposal()
        let payloadBytes = ProposalResponsePayload(
            proposalHash: SHA256.hash(proposal.proposalBytes), chaincode: chaincode,
            readWriteSet: ReadWriteSet(writes: writes), event: nil, response: .success([])).canonicalBytes
        let transaction = Transaction(signedProposal: proposal, responsePayloadBytes: payloadBytes,
                                      endorsements: try endorsers.map { try forged.endorsement(by: $0, of: payloadBytes) })
        let bytes = transaction.canonicalBytes
        return Envelope(payload: bytes, signature: try creator.signature(for: bytes)).canonicalBytes
    }

    static let upgraded = ChaincodeDefinition(name: "asset-transfer", version: "2.0", sequence: 2, policy: "'Org1.peer'")

    static func approval(of mspID: String, _ definition: ChaincodeDefinition = upgraded) -> KVWrite {
        KVWrite(namespace: LifecycleKeys.namespace, key: LifecycleKeys.approval(definition.name, sequence: definition.sequence, mspID: mspID),
                value: definition.canonicalBytes)
    }

    static let definition = KVWrite(namespace: LifecycleKeys.namespace, key: LifecycleKeys.definition("asset-transfer"), value: upgraded.canonicalBytes)

    /// Commits `envelope` alone and returns its code; checks that it left `_lifecycle` state as it was.
    static func code(of envelope: [UInt8], in harness: inout PeerHarness) async throws -> ValidationCode {
        let code = try #require(try await harness.commit([envelope]).transactions.first?.code)
        let definition = try harness.peers[0].ledger.read { try $0.value(namespace: LifecycleKeys.namespace, key: LifecycleKeys.definition("asset-transfer")) }
        #expect(definition == nil)
        return code
    }

    @Test func aDefinitionEndorsedByOneOrganizationAloneIsAnEndorsementPolicyFailure() async throws {
        var harness = try ChaincodeLifecycleTests.harness()
        let network = harness.network
        let envelope = try Self.forged(harness, creator: network.admins["Org1"]!, writes: [Self.definition],
                                       endorsers: [network.peers["Org1"]!], function: "commit")
        #expect(try await Self.code(of: envelope, in: &harness) == .endorsementPolicyFailure)
    }

    @Test func anApprovalWrittenForAnotherOrganizationIsAnIllegalWriteSet() async throws {
        var harness = try ChaincodeLifecycleTests.harness()
        let network = harness.network
        let envelope = try Self.forged(harness, creator: network.admins["Org1"]!, writes: [Self.approval(of: "Org2MSP")],
                                       endorsers: [network.peers["Org1"]!, network.peers["Org2"]!])
        #expect(try await Self.code(of: envelope, in: &harness) == .illegalWriteset)
    }

    @Test func anApprovalEndorsedOnlyByAnotherOrganizationsPeerIsAnEndorsementPolicyFailure() async throws {
        var harness = try ChaincodeLifecycleTests.harness()
        let network = harness.network
        let envelope = try Self.forged(harness, creator: network.admins["Org1"]!, writes: [Self.approval(of: "Org1MSP")],
                                       endorsers: [network.peers["Org2"]!])
        #expect(try await Self.code(of: envelope, in: &harness) == .endorsementPolicyFailure)
    }

    @Test func aLifecycleTransactionByAClientIsAnInvalidCreator() async throws {
        var harness = try ChaincodeLifecycleTests.harness()
        let network = harness.network
        let envelope = try Self.forged(harness, creator: network.clients["Org1"]!, writes: [Self.definition],
                                       endorsers: [network.peers["Org1"]!, network.peers["Org2"]!], function: "commit")
        #expect(try await Self.code(of: envelope, in: &harness) == .invalidCreator)
    }

    @Test(arguments: [
        "two writes", "another namespace", "a sub-namespace", "a value that does not decode", "a name that does not match the key",
        "a policy that does not parse", "an approval whose sequence does not match its key", "a delete", "an unknown key",
    ])
    func aMalformedLifecycleWriteSetIsIllegal(_ shape: String) async throws {
        var harness = try ChaincodeLifecycleTests.harness()
        let network = harness.network
        var unparsable = Self.upgraded
        unparsable.policy = "AND('Org1.peer'"
        var other = Self.upgraded
        other.name = "smallbank"
        let writes: [KVWrite] = switch shape {
        case "two writes": [Self.definition, Self.approval(of: "Org1MSP")]
        case "another namespace": [KVWrite(namespace: "asset-transfer", key: Self.definition.key, value: Self.definition.value)]
        case "a sub-namespace": [KVWrite(namespace: "_lifecycle:x", key: Self.definition.key, value: Self.definition.value)]
        case "a value that does not decode": [KVWrite(namespace: LifecycleKeys.namespace, key: Self.definition.key, value: [1, 2, 3])]
        case "a name that does not match the key": [KVWrite(namespace: LifecycleKeys.namespace, key: Self.definition.key, value: other.canonicalBytes)]
        case "a policy that does not parse": [KVWrite(namespace: LifecycleKeys.namespace, key: Self.definition.key, value: unparsable.canonicalBytes)]
        case "an approval whose sequence does not match its key":
            [KVWrite(namespace: LifecycleKeys.namespace, key: LifecycleKeys.approval("asset-transfer", sequence: 3, mspID: "Org1MSP"), value: Self.upgraded.canonicalBytes)]
        case "a delete": [KVWrite(namespace: LifecycleKeys.namespace, key: Self.definition.key, value: nil)]
        default: [KVWrite(namespace: LifecycleKeys.namespace, key: "settings", value: Self.upgraded.canonicalBytes)]
        }
        let envelope = try Self.forged(harness, creator: network.admins["Org1"]!, writes: writes,
                                       endorsers: [network.peers["Org1"]!, network.peers["Org2"]!], function: "commit")
        #expect(try await Self.code(of: envelope, in: &harness) == .illegalWriteset)
    }
}
