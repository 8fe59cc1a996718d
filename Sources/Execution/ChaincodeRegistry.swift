import WeftCore

/// A chaincode installed on a channel: its implementation and the endorsement policy its transactions
/// must satisfy (an expression of the Identity module's policy language, from channel configuration).
public struct InstalledChaincode: Sendable {
    public var name: String
    public var chaincode: any Chaincode
    /// e.g. `AND('Org1.peer','Org2.peer')` or `MAJORITY peer`.
    public var endorsementPolicy: String

    public init(name: String, chaincode: any Chaincode, endorsementPolicy: String) {
        self.name = name
        self.chaincode = chaincode
        self.endorsementPolicy = endorsementPolicy
    }
}

/// The chaincodes known to a channel, by name.
public struct ChaincodeRegistry: Sendable {
    private var definitions: [String: InstalledChaincode] = [:]
    /// Set when the channel runs the chaincode lifecycle (docs/governance.md): an installed chaincode
    /// then runs only while it is defined — by a definition committed in `_lifecycle` state, or else by
    /// one of these, the channel configuration's — and each simulation records a read of its
    /// definition. nil: every installed chaincode runs (library use, tests, benchmarks).
    public var genesisDefinitions: [String: ChaincodeDefinition]?

    /// Creates a registry holding `definitions`; a later definition of the same name replaces an earlier one.
    public init(_ definitions: [InstalledChaincode] = [], genesisDefinitions: [String: ChaincodeDefinition]? = nil) {
        self.genesisDefinitions = genesisDefinitions
        for definition in definitions { register(definition) }
    }

    /// Adds or replaces a definition.
    public mutating func register(_ definition: InstalledChaincode) {
        definitions[definition.name] = definition
    }

    /// The definition named `name`, if installed.
    public func definition(named name: String) -> InstalledChaincode? { definitions[name] }

    /// The installed names, sorted.
    public var names: [String] { definitions.keys.sorted() }
}
