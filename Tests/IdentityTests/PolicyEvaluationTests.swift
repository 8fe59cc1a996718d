import Testing
import WeftCore
@testable import Identity

/// Truth tables of policy evaluation, with each signer counted at most once.
@Suite struct PolicyEvaluationTests {
    let network: TestNetwork
    let org1Peer: ValidatedIdentity
    let org1Peer2: ValidatedIdentity
    let org2Peer: ValidatedIdentity
    let org3Peer: ValidatedIdentity
    let org1Admin: ValidatedIdentity
    let org1Client: ValidatedIdentity
    let org2Orderer: ValidatedIdentity

    init() throws {
        network = try TestNetwork(["Org1", "Org2", "Org3"])
        org1Peer = try network.identity("Org1", .peer, "peer0.org1")
        org1Peer2 = try network.identity("Org1", .peer, "peer1.org1")
        org2Peer = try network.identity("Org2", .peer)
        org3Peer = try network.identity("Org3", .peer)
        org1Admin = try network.identity("Org1", .admin)
        org1Client = try network.identity("Org1", .client)
        org2Orderer = try network.identity("Org2", .orderer)
    }

    func check(_ text: String, _ signers: [ValidatedIdentity], _ expected: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let policy = try EndorsementPolicy(text)
        #expect(policy.isSatisfied(by: signers, membership: network.membership) == expected,
                "\(text) with \(signers)", sourceLocation: sourceLocation)
    }

    @Test func principal() throws {
        try check("'Org1.peer'", [org1Peer], true)
        try check("'Org1.peer'", [org2Peer], false)
        try check("'Org1.peer'", [org1Client], false)
        try check("'Org1.peer'", [], false)
        try check("'Org1MSP.peer'", [org1Peer], true)          // by MSP id
        try check("'Org1.member'", [org1Client], true)
        try check("'Org1.member'", [org2Peer], false)
        try check("'Org1.admin'", [org1Admin], true)
        try check("'Org1.admin'", [org1Peer], false)
        try check("'Org2.orderer'", [org2Orderer], true)
    }

    @Test func andTruthTable() throws {
        let policy = "AND('Org1.peer', 'Org2.peer')"
        try check(policy, [], false)
        try check(policy, [org1Peer], false)
        try check(policy, [org2Peer], false)
        try check(policy, [org1Peer, org2Peer], true)
        try check(policy, [org2Peer, org1Peer, org3Peer], true)
    }

    @Test func orTruthTable() throws {
        let policy = "OR('Org1.peer', 'Org2.peer')"
        try check(policy, [], false)
        try check(policy, [org1Peer], true)
        try check(policy, [org2Peer], true)
        try check(policy, [org1Peer, org2Peer], true)
        try check(policy, [org3Peer], false)
    }

    @Test func outOfTruthTable() throws {
        let policy = "OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')"
        try check(policy, [org1Peer], false)
        try check(policy, [org1Peer, org2Peer], true)
        try check(policy, [org1Peer, org3Peer], true)
        try check(policy, [org2Peer, org3Peer], true)
        try check(policy, [org1Peer, org1Peer2], false)      // two Org1 peers satisfy one principal only
        try check(policy, [org1Peer, org2Peer, org3Peer], true)
    }

    @Test func aSignerCountsOnce() throws {
        // The same identity twice is one signer.
        try check("OutOf(2, 'Org1.peer', 'Org1.peer')", [org1Peer, org1Peer], false)
        try check("AND('Org1.peer', 'Org1.peer')", [org1Peer, org1Peer], false)
        try check("AND('Org1.peer', 'Org1.peer')", [org1Peer, org1Peer2], true)
        // One identity cannot fill two principals that it matches (member and peer).
        try check("AND('Org1.member', 'Org1.peer')", [org1Peer], false)
        try check("AND('Org1.member', 'Org1.peer')", [org1Peer, org1Client], true)
        // Nested gates share the signer pool.
        try check("AND('Org1.peer', OR('Org1.peer', 'Org2.peer'))", [org1Peer], false)
        try check("AND('Org1.peer', OR('Org1.peer', 'Org2.peer'))", [org1Peer, org2Peer], true)
    }

    @Test func searchFindsAssignmentsAGreedyMatchMisses() throws {
        // A greedy match gives the only client to 'Org1.member' first and then fails 'Org1.client'.
        try check("AND('Org1.member', 'Org1.client')", [org1Client, org1Peer], true)
        try check("OutOf(2, 'Org1.member', 'Org1.client', 'Org2.orderer')", [org1Client, org2Peer], false)
        try check("OutOf(2, 'Org1.member', 'Org1.client', 'Org2.orderer')", [org1Client, org1Admin], true)
    }

    @Test func unknownOrganizations() throws {
        try check("'Org9.peer'", [org1Peer, org2Peer], false)
        try check("OR('Org9.peer', 'Org1.peer')", [org1Peer], true)
        try check("AND('Org9.peer', 'Org1.peer')", [org1Peer], false)
        try check("OutOf(1, 'Org9.peer', 'Nobody.admin')", [org1Peer, org1Admin], false)
        let policy = try EndorsementPolicy("OR('Org9.peer', AND('Org1.peer', 'Nobody.admin'), 'Org1MSP.peer')")
        #expect(policy.unknownOrganizations(in: network.membership) == ["Org9", "Nobody"])
    }

    @Test func channelLevelRules() throws {
        try check("ANY peer", [org3Peer], true)
        try check("ANY peer", [org1Client], false)
        try check("MAJORITY peer", [org1Peer], false)
        try check("MAJORITY peer", [org1Peer, org1Peer2], false)   // one organization, twice
        try check("MAJORITY peer", [org1Peer, org3Peer], true)
        try check("ALL peer", [org1Peer, org2Peer], false)
        try check("ALL peer", [org1Peer, org2Peer, org3Peer], true)
        try check("AND(MAJORITY peer, 'Org1.admin')", [org1Peer, org2Peer, org1Admin], true)
        try check("AND(MAJORITY peer, 'Org1.peer')", [org1Peer, org2Peer], false)
        let policy = try EndorsementPolicy("ANY peer")
        #expect(!policy.isSatisfied(by: [org1Peer], organizations: []))
        #expect(try EndorsementPolicy("MAJORITY peer").isSatisfied(by: [org1Peer, org2Peer], organizations: ["Org1", "Org2", "Org3", "Org4"]) == false)
    }

    @Test func listedAdministratorSatisfiesAdminPrincipal() throws {
        let org1 = try TestOrganization("Org1")
        let operatorCertificate = try org1.certificate("operator", units: ["client"])
        let membership = try Membership(organizations: [org1.organization(admins: [operatorCertificate])])
        let identity = try membership.validate(org1.serialized(operatorCertificate), at: TestOrganization.now).get()
        #expect(identity.role == .client && identity.isAdmin)
        #expect(try EndorsementPolicy("'Org1.admin'").isSatisfied(by: [identity], membership: membership))
        #expect(try EndorsementPolicy("'Org1.client'").isSatisfied(by: [identity], membership: membership))
    }

    /// 40 signers against thresholds over repeated principals: decided, and correctly. A search that
    /// tried every assignment of 40 signers would not finish; that shows as this test exceeding its
    /// one-minute time limit (a hang guard, far above the milliseconds it takes, not a speed bound that
    /// a loaded machine could break). Speed itself is measured by `weft bench`, not asserted here.
    @Test(.timeLimit(.minutes(1)))
    func fortySignersAgainstRepeatedPrincipalsAreDecidedWithoutAnExhaustiveSearch() throws {
        let signers = try (0..<40).map { try network.identity("Org\($0 % 3 + 1)", .peer, "peer\($0)") }
        try check("OutOf(3, 'Org1.peer', 'Org1.peer', 'Org2.peer', 'Org2.peer', 'Org3.peer', 'Org3.peer')", signers, true)
        try check("AND(ALL peer, MAJORITY peer, OutOf(2, 'Org1.peer', 'Org1.peer', 'Org1.peer'))", signers, true)
        // 14 Org1 peers alone meet the two Org1 principals and no other, however many of them sign.
        let org1Only = signers.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        try check("OutOf(2, 'Org1.peer', 'Org1.peer', 'Org2.peer', 'Org2.peer', 'Org3.peer', 'Org3.peer')", org1Only, true)
        try check("OutOf(3, 'Org1.peer', 'Org1.peer', 'Org2.peer', 'Org2.peer', 'Org3.peer', 'Org3.peer')", org1Only, false)
    }
}
