import WeftCore

/// A definition as `_lifecycle`'s queries report it (JSON).
public struct ChaincodeDefinitionReport: Codable, Equatable, Sendable {
    public var name: String
    public var version: String
    public var sequence: UInt64
    public var policy: String
    /// Policies of contracts (sub-namespaces) that replace `policy` for writes to their state.
    public var contractPolicies: [String: String]
    /// `configuration` (the channel's genesis definitions) or `lifecycle` (committed by approvals).
    public var source: String

    init(_ definition: ChaincodeDefinition, source: String) {
        name = definition.name
        version = definition.version
        sequence = definition.sequence
        policy = definition.policy
        contractPolicies = definition.contractPolicies
        self.source = source
    }

    /// The definition itself.
    public var definition: ChaincodeDefinition {
        ChaincodeDefinition(name: name, version: version, sequence: sequence, policy: policy, contractPolicies: contractPolicies)
    }
}

/// What `_lifecycle checkcommitreadiness` reports (JSON).
public struct CommitReadiness: Codable, Sendable {
    public var definition: ChaincodeDefinitionReport
    /// Application organizations by MSP id: whether each approved exactly this definition.
    public var approvals: [String: Bool]
    /// Whether the approvals satisfy `policy`.
    public var ready: Bool
    /// The LifecycleEndorsement policy.
    public var policy: String
}
