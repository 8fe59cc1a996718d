import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore

/// `_lifecycle`, the system chaincode through which a channel's organizations define chaincodes
/// (docs/governance.md, "Chaincode lifecycle"), as Fabric's approve-then-commit:
///
/// - `approve NAME VERSION SEQUENCE POLICY` — by an administrator of an application organization:
///   records that organization's approval of the definition (`LifecycleKeys.approval`);
/// - `checkcommitreadiness NAME VERSION SEQUENCE POLICY` — which organizations approved exactly that
///   definition, and whether that satisfies the LifecycleEndorsement policy;
/// - `commit NAME VERSION SEQUENCE POLICY` — by an administrator: once the approvals satisfy the
///   LifecycleEndorsement policy, writes the definition (`LifecycleKeys.definition`); the chaincode's
///   transactions are checked against it from the next block on;
/// - `querydefinitions` / `querydefinition NAME` — the definitions in force (JSON).
///
/// SEQUENCE must be one more than the definition in force (1 for a chaincode never defined). The
/// committer checks what an endorser cannot be trusted with: an approval is written only by its
/// organization's admin and endorsed by its peer, a commit is endorsed as LifecycleEndorsement says
/// (`LifecycleRules`).
public struct LifecycleChaincode: Chaincode {
    /// Validates creators (the channel's organizations).
    public var validator: IdentityValidator
    /// Whose approvals a commit needs (the policy of the configuration's `_lifecycle` entry).
    public var lifecycleEndorsement: EndorsementPolicy
    /// The definitions of the channel's configuration.
    public var genesis: [String: ChaincodeDefinition]
    /// The chaincodes this peer can run.
    public var available: [String]

    /// The lifecycle of a channel whose organizations `validator` knows.
    public init(validator: IdentityValidator, lifecycleEndorsement: EndorsementPolicy, genesis: [String: ChaincodeDefinition], available: [String]) {
        self.validator = validator
        self.lifecycleEndorsement = lifecycleEndorsement
        self.genesis = genesis
        self.available = available
    }

    /// Runs `stub.function`.
    public func invoke(_ stub: ChaincodeStub) throws -> [UInt8] {
        switch stub.function {
        case "approve": return try approve(stub)
        case "checkcommitreadiness": return try json(try readiness(stub))
        case "commit": return try commit(stub)
        case "querydefinitions": return try json(try definitions(stub))
        case "querydefinition":
            try stub.expectArguments(1, usage: "querydefinition NAME")
            let name = try stub.string(0, "NAME")
            guard let definition = try definition(of: name, stub) else { throw ChaincodeError.notFound("chaincode \(name) is not defined on channel \(stub.channelID)") }
            return try json(definition)
        default:
            throw ChaincodeError.badRequest("_lifecycle has no function '\(stub.function)' (approve, checkcommitreadiness, commit, querydefinitions, querydefinition)")
        }
    }

    private func approve(_ stub: ChaincodeStub) throws -> [UInt8] {
        let admin = try administrator(stub)
        guard !validator.membership.isOrdererOrganization(admin.mspID) else {
            throw ChaincodeError("\(admin.mspID) is an orderer organization: only application organizations approve chaincode definitions", status: 403)
        }
        let proposed = try nextDefinition(stub)
        try stub.putState(LifecycleKeys.approval(proposed.name, sequence: proposed.sequence, mspID: admin.mspID), proposed.canonicalBytes)
        return Array("\(admin.mspID) approved \(proposed.name) version \(proposed.version) sequence \(proposed.sequence)".utf8)
    }

    private func commit(_ stub: ChaincodeStub) throws -> [UInt8] {
        _ = try administrator(stub)
        let status = try readiness(stub)
        guard status.ready else {
            let missing = status.approvals.filter { !$0.value }.keys.sorted().joined(separator: ", ")
            throw ChaincodeError.conflict("the approvals do not satisfy the LifecycleEndorsement policy '\(status.policy)' yet (not approved by: \(missing))")
        }
        let proposed = status.definition.definition
        try stub.putState(LifecycleKeys.definition(proposed.name), proposed.canonicalBytes)
        return Array("committed \(proposed.name) version \(proposed.version) sequence \(proposed.sequence)".utf8)
    }

    /// Which application organizations approved exactly the proposed definition.
    private func readiness(_ stub: ChaincodeStub) throws -> CommitReadiness {
        let proposed = try nextDefinition(stub)
        var approvals: [String: Bool] = [:]
        var approving: Set<String> = []
        for organization in validator.membership.organizations where !validator.membership.isOrdererOrganization(organization.mspID) {
            let key = LifecycleKeys.approval(proposed.name, sequence: proposed.sequence, mspID: organization.mspID)
            let approved = try stub.getState(key).flatMap { try? ChaincodeDefinition(canonicalBytes: $0) } == proposed
            approvals[organization.mspID] = approved
            if approved { approving.insert(organization.name) }
        }
        let ready = lifecycleEndorsement.isSatisfied(byOrganizations: approving, organizations: validator.membership.organizations.map(\.name))
        return CommitReadiness(definition: ChaincodeDefinitionReport(proposed, source: "proposed"), approvals: approvals, ready: ready, policy: lifecycleEndorsement.description)
    }

    /// The definition named by the arguments, checked to be the next one of its chaincode: NAME VERSION
    /// SEQUENCE POLICY, then any number of SUB=POLICY (a sub-namespace's policy: for `evm`, a contract's).
    private func nextDefinition(_ stub: ChaincodeStub) throws -> ChaincodeDefinition {
        let usage = "\(stub.function) NAME VERSION SEQUENCE POLICY [CONTRACT=POLICY …]"
        if stub.arguments.count < 4 { try stub.expectArguments(4, usage: usage) }
        let name = try stub.string(0, "NAME")
        let version = try stub.string(1, "VERSION")
        let sequence = try stub.integer(2, "SEQUENCE")
        let policy = try checkedPolicy(try stub.string(3, "POLICY"), "POLICY")
        guard LifecycleKeys.isDefinableName(name) else {
            throw ChaincodeError.badRequest("'\(name)' cannot name a chaincode definition (1–64 of a–z A–Z 0–9 . _ -, not starting with _)")
        }
        guard available.contains(name) else {
            throw ChaincodeError.notFound("this peer has no chaincode '\(name)' to define (available: \(available.joined(separator: ", ")))")
        }
        guard !version.isEmpty, version.utf8.count <= 64 else { throw ChaincodeError.badRequest("VERSION must have 1 to 64 bytes") }
        var contractPolicies: [String: String] = [:]
        for index in stub.arguments.indices.dropFirst(4) {
            let entry = try stub.string(index, "CONTRACT=POLICY")
            guard let equals = entry.firstIndex(of: "=") else {
                throw ChaincodeError.badRequest("argument \(index + 1) '\(entry.prefix(80))' is not CONTRACT=POLICY")
            }
            let sub = String(entry[..<equals])
            _ = try stub.subNamespace(sub)   // 1–128 of A–Z a–z 0–9 . _ -, or a 400 naming what is wrong
            guard contractPolicies[sub] == nil else { throw ChaincodeError.badRequest("contract \(sub) has two policies") }
            contractPolicies[sub] = try checkedPolicy(String(entry[entry.index(after: equals)...]), "the policy of contract \(sub)")
        }
        let current = try definition(of: name, stub)
        let expected = (current?.sequence ?? 0) + 1
        guard sequence > 0, UInt64(sequence) == expected else {
            let inForce = current.map { "sequence \($0.sequence) (version \($0.version)) is in force" } ?? "\(name) is not defined yet"
            throw ChaincodeError.conflict("sequence \(sequence) is not the next one: \(inForce); the next definition has sequence \(expected)")
        }
        return ChaincodeDefinition(name: name, version: version, sequence: expected, policy: policy, contractPolicies: contractPolicies)
    }

    /// `text` as a policy over the channel's organizations, in canonical form; a 400 error naming `what` otherwise.
    private func checkedPolicy(_ text: String, _ what: String) throws -> String {
        let policy: EndorsementPolicy
        do { policy = try EndorsementPolicy(text) } catch {
            throw ChaincodeError.badRequest("\(what) '\(text)' does not parse: \(error)")
        }
        let unknown = policy.unknownOrganizations(in: validator.membership)
        guard unknown.isEmpty else {
            throw ChaincodeError.badRequest("\(what) names organizations the channel does not have: \(unknown.joined(separator: ", "))")
        }
        return policy.description
    }

    /// The caller, who must be an administrator of a member organization.
    private func administrator(_ stub: ChaincodeStub) throws -> ValidatedIdentity {
        let time = Date(timeIntervalSince1970: Double(stub.timestamp) / 1000)
        guard case .success(let identity) = validator.validate(stub.creator, at: time), identity.hasRole(.admin) else {
            throw ChaincodeError("\(stub.function) needs an administrator of a channel organization; the caller is not one", status: 403)
        }
        return identity
    }

    /// The definition in force: committed in state, else the configuration's.
    private func definition(of name: String, _ stub: ChaincodeStub) throws -> ChaincodeDefinitionReport? {
        if let bytes = try stub.getState(LifecycleKeys.definition(name)) {
            return ChaincodeDefinitionReport(try ChaincodeDefinition(canonicalBytes: bytes), source: "lifecycle")
        }
        return genesis[name].map { ChaincodeDefinitionReport($0, source: "configuration") }
    }

    private func definitions(_ stub: ChaincodeStub) throws -> [ChaincodeDefinitionReport] {
        var byName = genesis.mapValues { ChaincodeDefinitionReport($0, source: "configuration") }
        var bookmark = ""
        repeat {
            let page = try stub.getStateByRange(LifecycleKeys.definitionRange.start, LifecycleKeys.definitionRange.end, bookmark: bookmark)
            for (_, value) in page.entries {
                let definition = try ChaincodeDefinition(canonicalBytes: value)
                byName[definition.name] = ChaincodeDefinitionReport(definition, source: "lifecycle")
            }
            bookmark = page.bookmark
        } while !bookmark.isEmpty
        return byName.values.sorted { $0.name < $1.name }
    }

    private func json(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }
}
