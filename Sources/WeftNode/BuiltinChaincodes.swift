import AssetTransfer
import Execution
import SmallBank
import WeftCore

/// The chaincodes compiled into `weft`, by the name a channel installs them under.
public enum BuiltinChaincodes {
    /// The names `channel.chaincodes` may use.
    public static let names = [AssetTransfer.name, SmallBank.name, EVMChaincode.name]

    /// The implementation of `name`, or nil when `weft` has no such chaincode.
    public static func chaincode(named name: String) -> (any Chaincode)? {
        switch name {
        case AssetTransfer.name: AssetTransfer()
        case SmallBank.name: SmallBank()
        case EVMChaincode.name: EVMChaincode()
        default: nil
        }
    }

    /// The registry of a peer's channel under the chaincode lifecycle (docs/governance.md): every
    /// built-in chaincode installed, each running once the channel defines it, and `_lifecycle`.
    /// Throws when the configuration defines a chaincode `weft` does not have.
    static func registry(for channel: ChannelContext) throws -> ChaincodeRegistry {
        var registry = try registry(for: channel.configuration.chaincodes)
        for name in names where registry.definition(named: name) == nil {
            if let chaincode = chaincode(named: name) {
                registry.register(InstalledChaincode(name: name, chaincode: chaincode, endorsementPolicy: channel.config.policies.endorsement))
            }
        }
        let lifecycle = LifecycleChaincode(
            validator: channel.validator, lifecycleEndorsement: channel.lifecycleEndorsement,
            genesis: channel.genesisDefinitions, available: names.sorted())
        registry.register(InstalledChaincode(name: LifecycleKeys.namespace, chaincode: lifecycle, endorsementPolicy: channel.lifecycleEndorsement.description))
        registry.genesisDefinitions = channel.genesisDefinitions
        return registry
    }

    /// The registry for a channel's configured chaincodes; throws for a name `weft` does not have.
    public static func registry(for chaincodes: [ChannelConfiguration.Chaincode]) throws -> ChaincodeRegistry {
        ChaincodeRegistry(try chaincodes.map { definition in
            guard let chaincode = chaincode(named: definition.name) else {
                throw ConfigurationError.invalid(
                    path: "channel.chaincodes",
                    reason: "no built-in chaincode \"\(definition.name)\" (available: \(names.joined(separator: ", ")))")
            }
            return InstalledChaincode(name: definition.name, chaincode: chaincode, endorsementPolicy: definition.policy)
        })
    }
}
