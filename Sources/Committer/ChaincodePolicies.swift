import Identity
import WeftCore

/// The endorsement policies a chaincode definition puts in force: the chaincode's, and those of its
/// contracts (sub-namespaces `<chaincode>:<sub>`), which govern writes to their state instead
/// (docs/governance.md, "Chaincode lifecycle").
public struct ChaincodePolicies: Sendable {
    /// The chaincode's policy: for writes to its own namespace and to sub-namespaces without one.
    public var chaincode: EndorsementPolicy
    /// By sub-namespace (for `evm`, a contract's 40 hex digits).
    public var contracts: [String: EndorsementPolicy]

    public init(chaincode: EndorsementPolicy, contracts: [String: EndorsementPolicy] = [:]) {
        self.chaincode = chaincode
        self.contracts = contracts
    }

    /// The policies of `definition`; nil when one does not parse or a sub-namespace is empty or holds NUL.
    public init?(_ definition: ChaincodeDefinition) {
        guard let chaincode = try? EndorsementPolicy(definition.policy) else { return nil }
        var contracts: [String: EndorsementPolicy] = [:]
        for (sub, text) in definition.contractPolicies {
            guard !sub.isEmpty, !sub.utf8.contains(0), let policy = try? EndorsementPolicy(text) else { return nil }
            contracts[sub] = policy
        }
        self.chaincode = chaincode
        self.contracts = contracts
    }

    /// The policies a transaction of `chaincode` that writes `writes` must satisfy, each once: a
    /// contract's for writes to its state, the chaincode's for the rest (and for a transaction that
    /// writes nothing).
    func required(for writes: [KVWrite], chaincode name: String) -> [EndorsementPolicy] {
        guard !contracts.isEmpty else { return [chaincode] }
        var required: [EndorsementPolicy] = []
        for write in writes {
            let policy = contractPolicy(of: write.namespace, chaincode: name) ?? chaincode
            if !required.contains(policy) { required.append(policy) }
        }
        return required.isEmpty ? [chaincode] : required
    }

    private func contractPolicy(of namespace: String, chaincode name: String) -> EndorsementPolicy? {
        guard namespace.hasUTF8Prefix(name + ":") else { return nil }
        return contracts[String(namespace.utf8.dropFirst(name.utf8.count + 1)) ?? ""]
    }
}
