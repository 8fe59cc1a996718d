import AssetTransfer
import Execution
import SmallBank

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

    /// The registry for a channel's configured chaincodes; throws for a name `weft` does not have.
    public static func registry(for chaincodes: [ChannelConfiguration.Chaincode]) throws -> ChaincodeRegistry {
        ChaincodeRegistry(try chaincodes.map { definition in
            guard let chaincode = chaincode(named: definition.name) else {
                throw ConfigurationError.invalid(
                    path: "channel.chaincodes",
                    reason: "no built-in chaincode \"\(definition.name)\" (available: \(names.joined(separator: ", ")))")
            }
            return ChaincodeDefinition(name: definition.name, chaincode: chaincode, endorsementPolicy: definition.policy)
        })
    }
}
