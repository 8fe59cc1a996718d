import AssetTransfer
import Committer
import Execution
import Foundation
import Identity
import PeerTestSupport
import SmallBank
import Testing
import WeftClient
import WeftCore
import WeftCrypto
import WeftNode

/// The chaincode lifecycle on two peers (docs/governance.md, "Chaincode lifecycle"): approve, commit,
/// the new policy in force from the next block, and every refusal — at endorsement by `_lifecycle`, and
/// at commit by `LifecycleRules` for transactions a misbehaving endorser could forge.
@Suite struct ChaincodeLifecycleTests {
    static let genesisPolicy = "AND('Org1.peer','Org2.peer')"
    static let upgraded = ["asset-transfer", "2.0", "2", "OR('Org1.peer','Org2.peer')"]

    /// Org1 and Org2 peers where only asset-transfer is defined (by the configuration, at sequence 1)
    /// and the LifecycleEndorsement policy is MAJORITY peer over Org1, Org2 and OrdererOrg.
    static func harness() throws -> PeerHarness {
        try PeerHarness { network, registry, check in
            let genesis = ["asset-transfer": ChaincodeDefinition(name: "asset-transfer", version: ChaincodeDefinition.genesisVersion, sequence: 1, policy: genesisPolicy)]
            let lifecycleEndorsement = try EndorsementPolicy(LifecycleKeys.defaultLifecycleEndorsement)
            registry.register(InstalledChaincode(
                name: LifecycleKeys.namespace,
                chaincode: LifecycleChaincode(validator: network.validator, lifecycleEndorsement: lifecycleEndorsement, genesis: genesis,
                                              available: [AssetTransfer.name, SmallBank.name]),
                endorsementPolicy: lifecycleEndorsement.description))
            registry.genesisDefinitions = genesis
            check.policies = ["asset-transfer": try EndorsementPolicy(genesisPolicy)]
            check.lifecycle = LifecycleRules(commitPolicy: lifecycleEndorsement)
        }
    }

    /// A `_lifecycle` call by `org`'s admin (or `caller`), endorsed by the peers at `endorsers`.
    static func lifecycle(
        _ harness: PeerHarness, _ function: String, _ arguments: [String], by org: String = "Org1",
        caller: SigningIdentity? = nil, endorsers: [Int] = [0, 1]
    ) throws -> (envelope: [UInt8]?, refusals: [ProposalResponse]) {
        let builder = TransactionBuilder(identity: caller ?? harness.network.admins[org]!, channelID: PeerHarness.channel)
        let proposal = try builder.proposal(chaincode: LifecycleKeys.namespace, function: function, arguments)
        let responses = endorsers.map { harness.peers[$0].endorser.endorse(proposal) }
        let refusals = responses.filter { $0.endorsement == nil }
        guard refusals.isEmpty else { return (nil, refusals) }
        return (try builder.envelope(for: proposal, responses: responses).canonicalBytes, [])
    }

    /// Approves `upgraded` by Org1 and Org2 (each endorsed by its own peer), in one block each.
    static func approveByBoth(_ harness: inout PeerHarness) async throws {
        for (org, peer) in [("Org1", 0), ("Org2", 1)] {
            let approval = try #require(try lifecycle(harness, "approve", upgraded, by: org, endorsers: [peer]).envelope)
            #expect(try await harness.commit([approval]).transactions.map(\.code) == [.valid])
        }
    }

    /// A CreateAsset endorsed by Org1's peer alone.
    static func createByOrg1Alone(_ harness: PeerHarness, _ id: String) throws -> [UInt8] {
        let builder = harness.client()
        let proposal = try builder.proposal(chaincode: "asset-transfer", function: "CreateAsset", [id, "blue", "1", "alice", "1"])
        return try builder.envelope(for: proposal, responses: [harness.peers[0].endorser.endorse(proposal)]).canonicalBytes
    }

    @Test func approvalsThenCommitPutTheNewPolicyInForceFromTheNextBlock() async throws {
        var harness = try Self.harness()
        #expect(try await harness.commit([Self.createByOrg1Alone(harness, "before")]).transactions.map(\.code) == [.endorsementPolicyFailure])
        try await Self.approveByBoth(&harness)
        let commit = try #require(try Self.lifecycle(harness, "commit", Self.upgraded).envelope)
        #expect(try await harness.commit([commit]).transactions.map(\.code) == [.valid])
        #expect(try await harness.commit([Self.createByOrg1Alone(harness, "after")]).transactions.map(\.code) == [.valid])

        let listed = try harness.evaluate(LifecycleKeys.namespace, "querydefinitions", [])
        let definitions = try JSONDecoder().decode([ChaincodeDefinitionReport].self, from: Data(listed.payload))
        #expect(definitions.map(\.name) == ["asset-transfer"])
        #expect(definitions.first?.sequence == 2 && definitions.first?.source == "lifecycle" && definitions.first?.version == "2.0")
    }

    @Test func aCommitNeedsTheLifecycleEndorsementPolicyOfApprovals() async throws {
        var harness = try Self.harness()
        let approval = try #require(try Self.lifecycle(harness, "approve", Self.upgraded, endorsers: [0]).envelope)
        try await harness.commit([approval])
        let readiness = try harness.evaluate(LifecycleKeys.namespace, "checkcommitreadiness", Self.upgraded)
        let ready = try JSONDecoder().decode(CommitReadiness.self, from: Data(readiness.payload))
        #expect(ready.approvals == ["Org1MSP": true, "Org2MSP": false, "OrdererOrgMSP": false])
        #expect(!ready.ready)
        let refused = try Self.lifecycle(harness, "commit", Self.upgraded).refusals
        #expect(refused.first?.status == 409)
        #expect(refused.first?.message.contains("not approved by: OrdererOrgMSP, Org2MSP") == true)
        // An approval of another definition (another policy) does not count.
        var other = Self.upgraded
        other[3] = "'Org2.peer'"
        let mismatched = try #require(try Self.lifecycle(harness, "approve", other, by: "Org2", endorsers: [1]).envelope)
        try await harness.commit([mismatched])
        #expect(try Self.lifecycle(harness, "commit", Self.upgraded).refusals.first?.status == 409)
    }

    @Test func aTransactionEndorsedUnderTheOldDefinitionIsAChaincodeVersionConflict() async throws {
        var harness = try Self.harness()
        try await Self.approveByBoth(&harness)
        let endorsedBefore = try harness.endorse("asset-transfer", "CreateAsset", ["early", "blue", "1", "alice", "1"])
        let sameBlock = try harness.endorse("asset-transfer", "CreateAsset", ["same", "blue", "1", "alice", "1"])
        let commit = try #require(try Self.lifecycle(harness, "commit", Self.upgraded).envelope)
        #expect(try await harness.commit([commit, sameBlock]).transactions.map(\.code) == [.valid, .chaincodeVersionConflict])
        #expect(try await harness.commit([endorsedBefore]).transactions.map(\.code) == [.chaincodeVersionConflict])
    }

    @Test func theEndorserRefusesWhatTheLifecycleDoesNotAllow() throws {
        let harness = try Self.harness()
        func refusal(_ function: String, _ arguments: [String], caller: SigningIdentity? = nil) throws -> ProposalResponse? {
            try Self.lifecycle(harness, function, arguments, caller: caller, endorsers: [0]).refusals.first
        }
        let notAdmin = try refusal("approve", Self.upgraded, caller: harness.network.clients["Org1"]!)
        #expect(notAdmin?.status == 403 && notAdmin?.message.contains("needs an administrator") == true)
        let stale = try refusal("approve", ["asset-transfer", "2.0", "1", "'Org1.peer'"])
        #expect(stale?.status == 409 && stale?.message.contains("the next definition has sequence 2") == true)
        let ahead = try refusal("approve", ["asset-transfer", "2.0", "3", "'Org1.peer'"])
        #expect(ahead?.status == 409)
        let notBuiltIn = try refusal("approve", ["ghost", "1", "1", "'Org1.peer'"])
        #expect(notBuiltIn?.status == 404 && notBuiltIn?.message.contains("available: asset-transfer, smallbank") == true)
        let system = try refusal("approve", ["_config", "1", "1", "'Org1.peer'"])
        #expect(system?.status == 400)
        let badPolicy = try refusal("approve", ["asset-transfer", "2.0", "2", "AND('Org1.peer'"])
        #expect(badPolicy?.status == 400 && badPolicy?.message.contains("does not parse") == true)
        let unknownOrganization = try refusal("approve", ["asset-transfer", "2.0", "2", "'Org9.peer'"])
        #expect(unknownOrganization?.status == 400 && unknownOrganization?.message.contains("Org9") == true)
        let missing = try refusal("approve", ["asset-transfer", "2.0"])
        #expect(missing?.status == 400)
        let unknownFunction = try refusal("upgrade", [])
        #expect(unknownFunction?.status == 400)
    }

    @Test func anUndefinedChaincodeIsRefusedAtEndorsementAndInvalidAtCommit() async throws {
        var harness = try Self.harness()
        let builder = harness.client()
        let proposal = try builder.proposal(chaincode: SmallBank.name, function: "CreateAccount", ["c1", "alice", "10", "10"])
        let refused = harness.peers[0].endorser.endorse(proposal)
        #expect(refused.status == 404 && refused.message.contains("not defined on this channel"))
        // smallbank becomes defined at sequence 1 through the lifecycle, then runs.
        let definition = [SmallBank.name, "1.0", "1", "OR('Org1.peer','Org2.peer')"]
        for (org, peer) in [("Org1", 0), ("Org2", 1)] {
            try await harness.commit([#require(try Self.lifecycle(harness, "approve", definition, by: org, endorsers: [peer]).envelope)])
        }
        try await harness.commit([#require(try Self.lifecycle(harness, "commit", definition).envelope)])
        let created = try harness.endorse(SmallBank.name, "CreateAccount", ["c1", "alice", "10", "10"])
        #expect(try await harness.commit([created]).transactions.map(\.code) == [.valid])
    }
}
