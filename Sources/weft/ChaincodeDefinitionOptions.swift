import ArgumentParser
import WeftCommandLine

/// The definition a `weft chaincode` lifecycle command approves, checks or commits.
struct ChaincodeDefinitionOptions: ParsableArguments {
    @Option(help: "The chaincode, e.g. asset-transfer.") var name: String
    /// Not `--version`: that is `weft --version`, which ArgumentParser answers whenever a command line fails to parse.
    @Option(name: .customLong("chaincode-version"), help: "The definition's version label, e.g. 2.0.") var version: String
    @Option(help: "The definition's sequence: one more than the one in force (1 for a chaincode never defined).") var sequence: UInt64
    @Option(help: "The endorsement policy, e.g. \"AND('Org1.peer','Org2.peer')\" (docs/policies.md).") var policy: String
    @Option(name: .customLong("contract-policy"),
            help: "A contract's own policy, for writes to its state (repeatable): 0xADDRESS=EXPR for evm, or SUB=EXPR for a chaincode's sub-namespace.")
    var contractPolicies: [String] = []

    /// The arguments of `_lifecycle`'s approve, checkcommitreadiness and commit.
    var arguments: [[UInt8]] {
        ([name, version, String(sequence), policy] + contractPolicies.map(Self.normalized)).map { Array($0.utf8) }
    }

    /// `0xABCD…=EXPR` with an EVM address becomes `abcd…=EXPR`: the contract's sub-namespace is its 40
    /// lower-case hex digits.
    static func normalized(_ entry: String) -> String {
        guard let equals = entry.firstIndex(of: "=") else { return entry }
        var contract = String(entry[..<equals])
        if contract.lowercased().hasPrefix("0x"), contract.count == 42, contract.dropFirst(2).allSatisfy(\.isHexDigit) {
            contract = contract.dropFirst(2).lowercased()
        }
        return contract + entry[equals...]
    }
}

/// Who runs a lifecycle command that must be an administrator's: `--identity` (an admin's folder), or
/// in a local network `--org MSPID` for that organization's admin.
struct ChaincodeAdministrator: ParsableArguments {
    @Option(help: "In a local network (--dir): act as the administrator of this organization (MSP id).") var org: String?

    /// `client` with its identity set to the admin of `--org`, when given.
    func applied(to client: ClientOptions) throws -> ClientOptions {
        guard let org else { return client }
        guard client.identity == nil else { throw CLIFailure(.usage, "pass --org or --identity, not both") }
        let network = client.networkDirectory ?? "weft-net"
        let admins = try ChannelAdminTarget.adminFolders(network: network)
        guard let folder = admins[org] else {
            throw CLIFailure(.usage, "no admin of \(org) in \(network)/crypto (organizations: \(admins.keys.sorted().joined(separator: ", ")))")
        }
        var options = client
        options.identity = folder
        return options
    }
}
