import Testing
import WeftTestSupport
@testable import Identity

/// Golden tests of the policy language: valid text and its canonical form, invalid text and the
/// exact error (position, expected, found).
@Suite struct PolicyParserTests {
    static let valid: [(String, String)] = [
        ("'Org1.peer'", "'Org1.peer'"),
        ("\"Org1.peer\"", "'Org1.peer'"),
        ("AND('Org1.peer','Org2.peer')", "AND('Org1.peer', 'Org2.peer')"),
        ("  or ( 'Org1.peer' , 'Org2.admin' )  ", "OR('Org1.peer', 'Org2.admin')"),
        ("OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')", "OutOf(2, 'Org1.peer', 'Org2.peer', 'Org3.peer')"),
        ("OUTOF(1,'Org1.member')", "OutOf(1, 'Org1.member')"),
        ("AND('Org1.peer', OR('Org2.peer', 'Org3.peer'))", "AND('Org1.peer', OR('Org2.peer', 'Org3.peer'))"),
        ("OR(AND('Org1.client','Org1.admin'), OutOf(2,'A.peer','B.peer','C.orderer'))",
         "OR(AND('Org1.client', 'Org1.admin'), OutOf(2, 'A.peer', 'B.peer', 'C.orderer'))"),
        ("'Org1MSP.peer'", "'Org1MSP.peer'"),
        ("'org-1.example.peer'", "'org-1.example.peer'"),
        ("MAJORITY peer", "MAJORITY peer"),
        ("MAJORITY Org.peer", "MAJORITY peer"),
        ("any admin", "ANY admin"),
        ("ALL Org.orderer", "ALL orderer"),
        ("AND(MAJORITY peer, 'Org1.admin')", "AND(MAJORITY peer, 'Org1.admin')"),
    ]

    @Test(arguments: valid)
    func parsesToCanonicalText(_ input: String, _ canonical: String) throws {
        let policy = try EndorsementPolicy(input)
        #expect(policy.description == canonical)
        #expect(try EndorsementPolicy(canonical) == policy)
    }

    @Test func parsedStructure() throws {
        let policy = try EndorsementPolicy("OutOf(2, 'Org1.peer', AND('Org2.peer', 'Org3.admin'), MAJORITY member)")
        #expect(policy.expression == .outOf(2, [
            .principal(PolicyPrincipal(organization: "Org1", role: .peer)),
            .and([.principal(PolicyPrincipal(organization: "Org2", role: .peer)),
                  .principal(PolicyPrincipal(organization: "Org3", role: .admin))]),
            .organizations(.majority, .member),
        ]))
        #expect(policy.expression.namedOrganizations == ["Org1", "Org2", "Org3"])
    }

    static let invalid: [(String, PolicyParseError)] = [
        ("", PolicyParseError(position: 0, expected: expressionStart, found: "end of input")),
        ("   ", PolicyParseError(position: 3, expected: expressionStart, found: "end of input")),
        ("AMD('Org1.peer')", PolicyParseError(position: 0, expected: expressionStart, found: "'AMD'")),
        ("AND 'Org1.peer'", PolicyParseError(position: 4, expected: "'('", found: "\"'\"")),
        ("AND('Org1.peer'", PolicyParseError(position: 15, expected: "',' or ')'", found: "end of input")),
        ("AND('Org1.peer' 'Org2.peer')", PolicyParseError(position: 16, expected: "',' or ')'", found: "\"'\"")),
        ("AND()", PolicyParseError(position: 4, expected: expressionStart, found: "')'")),
        ("AND('Org1.peer',)", PolicyParseError(position: 16, expected: expressionStart, found: "')'")),
        ("'Org1.peer", PolicyParseError(position: 0, expected: "a closing ' for this principal", found: "end of input")),
        ("'Org1peer'", PolicyParseError(position: 1, expected: "'Organization.role', e.g. 'Org1.peer'", found: "'Org1peer'")),
        ("'.peer'", PolicyParseError(position: 1, expected: "'Organization.role', e.g. 'Org1.peer'", found: "'.peer'")),
        ("'Org1.peers'", PolicyParseError(position: 6, expected: roles, found: "'peers'")),
        ("OR('Org1.peer', 'Org 2.peer')", PolicyParseError(position: 20, expected: "an organization name (letters, digits, '_', '-', '.')", found: "' '")),
        ("OutOf('Org1.peer')", PolicyParseError(position: 6, expected: "a count (a whole number ≥ 1)", found: "\"'\"")),
        ("OutOf(0, 'Org1.peer')", PolicyParseError(position: 6, expected: "a count (a whole number ≥ 1)", found: "0")),
        ("OutOf(3, 'Org1.peer', 'Org2.peer')", PolicyParseError(position: 6, expected: "a count of at most 2 (the sub-policies listed)", found: "3")),
        ("OutOf(2 'Org1.peer')", PolicyParseError(position: 8, expected: "','", found: "\"'\"")),
        ("'Org1.peer' 'Org2.peer'", PolicyParseError(position: 12, expected: "end of policy", found: "\"'\"")),
        ("MAJORITY", PolicyParseError(position: 8, expected: roles, found: "end of input")),
        ("MAJORITY peers", PolicyParseError(position: 9, expected: roles, found: "'peers'")),
        ("ANY Org.", PolicyParseError(position: 8, expected: roles, found: "end of input")),
        ("AND('Org1.peer'))", PolicyParseError(position: 16, expected: "end of policy", found: "')'")),
    ]

    static let expressionStart = "a principal such as 'Org1.peer', AND(, OR(, OutOf(, ANY, ALL or MAJORITY"
    static let roles = "a role (member, client, peer, orderer or admin)"

    @Test(arguments: invalid)
    func rejectsWithPositionAndExpectation(_ input: String, _ error: PolicyParseError) {
        #expect(throws: error) { try EndorsementPolicy(input) }
    }

    @Test func errorDescriptionIsReadable() {
        let error = PolicyParseError(position: 15, expected: "',' or ')'", found: "end of input")
        #expect(error.description == "policy: at position 15: expected ',' or ')', found end of input")
    }

    @Test func deepNestingIsRejectedNotCrashed() {
        let depth = 10_000
        let text = String(repeating: "AND(", count: depth) + "'Org1.peer'" + String(repeating: ")", count: depth)
        #expect(throws: PolicyParseError.self) { try EndorsementPolicy(text) }
        let allowed = String(repeating: "OR(", count: PolicyParser.maximumDepth) + "'Org1.peer'"
            + String(repeating: ")", count: PolicyParser.maximumDepth)
        #expect((try? EndorsementPolicy(allowed)) != nil)
    }

    /// 2,000 seeded random texts (the seed is the argument, so a failure names it).
    @Test(arguments: [UInt64(0x0701_1C7)])
    func garbageNeverCrashes(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("ANDORoutf()'\",.12 Org1peradmin\u{00e9}\n")
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "A" })
            do {
                let policy = try EndorsementPolicy(text)
                #expect(try EndorsementPolicy(policy.description) == policy)
            } catch {
                #expect(error.position >= 0 && error.position <= text.count)
            }
        }
    }
}
