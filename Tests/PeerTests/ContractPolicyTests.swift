import Foundation
import PeerTestSupport
import Testing
import WeftCore

/// A chaincode definition's contract policies (docs/governance.md, "Chaincode lifecycle"): writes to a
/// contract's state (the sub-namespace `<chaincode>:<contract>`) need that contract's policy instead of
/// the chaincode's; a transaction writing several needs each.
@Suite struct ContractPolicyTests {
    static let definition = ["asset-transfer", "2.0", "2", "AND('Org1.peer','Org2.peer')", "vault='Org1.peer'"]

    /// The harness with asset-transfer at sequence 2: AND of both peers, but Org1's peer alone for `vault`.
    static func harness() async throws -> PeerHarness {
        var harness = try ChaincodeLifecycleTests.harness()
        for (org, peer) in [("Org1", 0), ("Org2", 1)] {
            try await harness.commit([#require(try ChaincodeLifecycleTests.lifecycle(harness, "approve", definition, by: org, endorsers: [peer]).envelope)])
        }
        let commit = try #require(try ChaincodeLifecycleTests.lifecycle(harness, "commit", definition).envelope)
        #expect(try await harness.commit([commit]).transactions.map(\.code) == [.valid])
        return harness
    }

    static func write(_ namespace: String, _ key: String) -> KVWrite { KVWrite(namespace: namespace, key: key, value: Array("1".utf8)) }

    @Test(arguments: [
        (["asset-transfer:vault"], ["Org1"], ValidationCode.valid),
        (["asset-transfer"], ["Org1"], .endorsementPolicyFailure),
        (["asset-transfer:other"], ["Org1"], .endorsementPolicyFailure),
        (["asset-transfer", "asset-transfer:vault"], ["Org1"], .endorsementPolicyFailure),
        (["asset-transfer", "asset-transfer:vault"], ["Org1", "Org2"], .valid),
        (["asset-transfer:vault"], ["Org2"], .endorsementPolicyFailure),
    ])
    func writesNeedTheirContractsPolicies(_ namespaces: [String], _ endorsers: [String], _ expected: ValidationCode) async throws {
        var harness = try await Self.harness()
        let network = harness.network
        let envelope = try LifecycleForgeryTests.forged(
            harness, creator: network.clients["Org1"]!, writes: namespaces.map { Self.write($0, "k") },
            endorsers: endorsers.map { network.peers[$0]! }, function: "CreateAsset", chaincode: "asset-transfer")
        #expect(try await harness.commit([envelope]).transactions.map(\.code) == [expected])
    }

    @Test func definitionsWithContractPoliciesEncodeCanonically() throws {
        let plain = ChaincodeDefinition(name: "evm", version: "1", sequence: 1, policy: "'Org1.peer'")
        #expect(Array(plain.canonicalBytes.prefix(4)) == [0, 0, 0, 1], "without contract policies: layout 1")
        var contracts = plain
        contracts.contractPolicies = ["bb": "'Org2.peer'", "aa": "'Org1.peer'"]
        let bytes = contracts.canonicalBytes
        #expect(Array(bytes.prefix(4)) == [0, 0, 0, 2])
        #expect(try ChaincodeDefinition(canonicalBytes: bytes) == contracts)
        // The pairs in descending order (or twice) do not decode: one encoding per definition.
        var writer = ByteWriter()
        writer.write(UInt32(2))
        for text in ["evm", "1"] { writer.write(text) }
        writer.write(UInt64(1))
        writer.write("'Org1.peer'")
        writer.write(UInt32(2))
        for text in ["bb", "'Org2.peer'", "aa", "'Org1.peer'"] { writer.write(text) }
        #expect(throws: DecodingError.self) { try ChaincodeDefinition(canonicalBytes: writer.bytes) }
    }

    @Test func theLifecycleRefusesMalformedContractPolicies() throws {
        let harness = try ChaincodeLifecycleTests.harness()
        func refusal(_ extra: String) throws -> ProposalResponse? {
            try ChaincodeLifecycleTests.lifecycle(harness, "approve", Array(Self.definition.prefix(4)) + [extra], endorsers: [0]).refusals.first
        }
        #expect(try refusal("vault")?.message.contains("is not CONTRACT=POLICY") == true)
        #expect(try refusal("va/ult='Org1.peer'")?.status == 400)
        #expect(try refusal("vault=OR(")?.message.contains("the policy of contract vault") == true)
        let twice = try ChaincodeLifecycleTests.lifecycle(harness, "approve", Self.definition + ["vault='Org2.peer'"], endorsers: [0]).refusals.first
        #expect(twice?.message.contains("two policies") == true)
    }
}
