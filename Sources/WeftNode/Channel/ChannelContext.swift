#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import NIOConcurrencyHelpers
import WeftCore
import WeftCrypto
import WeftRPC

/// One channel as a node runs it, derived from its genesis block: the configuration, the
/// organizations ready to validate identities, the consenters' pinned keys, and the Readers and
/// Writers rules every channel call is checked against.
public final class ChannelContext: Sendable {
    /// The configuration, as block 0 holds it.
    public let config: ChannelConfig
    /// Block 0.
    public let genesis: Block
    /// The configuration in the shape the node's components take (orderers with pinned keys, peers,
    /// chaincodes, batch and Raft settings).
    public let configuration: ChannelConfiguration
    /// Validates identities against the channel's organizations.
    public let validator: IdentityValidator
    /// Who may read (`deliver`, `commitEvents`, queries, `evaluate`).
    public let readers: EndorsementPolicy
    /// Who may write (`broadcast`, `endorse`).
    public let writers: EndorsementPolicy
    /// Who approves configuration updates.
    public let admins: EndorsementPolicy
    /// The endorsement policy of each chaincode the configuration defines.
    public let endorsementPolicies: [String: EndorsementPolicy]
    /// The configuration's chaincodes as definitions at sequence 1 (docs/governance.md, "Chaincode
    /// lifecycle"); definitions committed through `_lifecycle` replace them.
    public let genesisDefinitions: [String: ChaincodeDefinition]
    /// Whose approvals committing a chaincode definition needs, and the endorsement policy of that
    /// commit: the configuration's `_lifecycle` entry, `MAJORITY peer` without one.
    public let lifecycleEndorsement: EndorsementPolicy
    private let callers = CallerCache()

    /// The channel's name.
    public var name: String { config.name }

    /// Derives the channel from its configuration and checks that it can run at `time`.
    public init(config: ChannelConfig, genesis: Block, at time: Date = Date()) throws(ChannelRefusal) {
        let name = config.name
        func invalid(_ reason: String) -> ChannelRefusal { .invalidConfig(channel: name, reason: reason) }
        try ChannelRefusal.checkName(name)
        self.config = config
        self.genesis = genesis
        let membership = try Self.membership(of: config)
        validator = IdentityValidator(membership: membership)
        func policy(_ text: String, _ what: String) throws(ChannelRefusal) -> EndorsementPolicy {
            do { return try EndorsementPolicy(text) } catch { throw invalid("the \(what) policy '\(text)' does not parse: \(error)") }
        }
        readers = try policy(config.policies.readers, "Readers")
        writers = try policy(config.policies.writers, "Writers")
        admins = try policy(config.policies.admins, "Admins")
        _ = try policy(config.policies.blockValidation, "BlockValidation")
        let endorsement = config.policies.endorsement
        var policies: [String: EndorsementPolicy] = [:]
        var definitions: [String: ChaincodeDefinition] = [:]
        var lifecycle = LifecycleKeys.defaultLifecycleEndorsement
        for chaincode in config.chaincodes {
            let text = chaincode.policy.isEmpty ? endorsement : chaincode.policy
            guard chaincode.name != LifecycleKeys.namespace else {
                lifecycle = text
                continue
            }
            guard policies[chaincode.name] == nil else { throw invalid("chaincode \(chaincode.name) is listed twice") }
            policies[chaincode.name] = try policy(text, "endorsement (\(chaincode.name))")
            definitions[chaincode.name] = ChaincodeDefinition(
                name: chaincode.name, version: ChaincodeDefinition.genesisVersion, sequence: 1, policy: text)
        }
        endorsementPolicies = policies
        genesisDefinitions = definitions
        lifecycleEndorsement = try policy(lifecycle, "LifecycleEndorsement")
        configuration = try Self.configuration(of: config, membership: membership, at: time)
    }

    /// The consenter `caller` authenticated as: a consenter whose pinned TLS key is the key of the
    /// caller's TLS certificate. nil for anyone else.
    public func consenter(_ caller: Caller) -> ChannelConfiguration.Orderer? {
        guard caller.role == .orderer else { return nil }
        let key = ConsenterPin.keySHA256(of: caller.certificate)
        return configuration.orderers.first { $0.tlsKeySHA256 == key }
    }

    /// SHA-256 (hex) of the consenters' signing keys: only their block signatures count.
    public var consenterSigningKeys: Set<String> {
        Set(configuration.orderers.compactMap(\.signingKeySHA256))
    }

    /// Which rule a channel call needs.
    public enum Access: String, Sendable {
        case readers = "reader"
        case writers = "writer"
    }

    /// Refuses `caller` unless it satisfies the channel's Readers or Writers rule: a member of an
    /// organization outside the channel learns only that it was refused.
    public func authorize(_ caller: Caller, for access: Access) throws(RPCError) {
        let policy = access == .readers ? readers : writers
        guard let identity = callers.identity(of: caller, validator: validator), policy.isSatisfied(by: [identity], membership: validator.membership) else {
            throw RPCError(.permissionDenied, "\(caller.mspID) \(caller.role) is not a \(access.rawValue) of channel '\(name)'")
        }
    }

    /// Checks an administrator's signature over configuration bytes; returns the administrator.
    @discardableResult
    func checkAdminSignature(_ signature: BlockSignature, over bytes: [UInt8], at time: Date) throws(ChannelRefusal) -> ValidatedIdentity {
        let signer: ValidatedIdentity
        switch validator.validate(signature.signer, at: time, requiring: .admin) {
        case .success(let identity): signer = identity
        case .failure(let failure):
            throw .badSignature(channel: name, reason: "\(signature.signer.mspID): \(failure)")
        }
        guard signer.publicKey.isValidSignature(signature.signature, for: bytes) else {
            throw .badSignature(channel: name, reason: "the signature of \(signer) does not verify")
        }
        return signer
    }
}

/// The channel-validated identity of each TLS certificate seen, so a call costs a lookup, not a
/// chain verification. Bounded: emptied when full.
private final class CallerCache: Sendable {
    private let entries = NIOLockedValueBox<[Certificate: ValidatedIdentity?]>([:])

    func identity(of caller: Caller, validator: IdentityValidator) -> ValidatedIdentity? {
        if let known = entries.withLockedValue({ $0[caller.certificate] }) { return known }
        let identity: ValidatedIdentity? = switch validator.membership.validateTLS(caller.certificate, at: Date()) {
        case .success(let identity): identity
        case .failure: nil
        }
        entries.withLockedValue { entries in
            if entries.count >= 4096 { entries.removeAll(keepingCapacity: true) }
            entries[caller.certificate] = identity
        }
        return identity
    }
}

extension ChannelContext {
    /// Accepts only the consenter `orderer` of this channel as the server of a connection: a member
    /// `admission` accepts whose TLS key is the one pinned for `orderer`.
    public func consenterAuthorizer(_ orderer: ChannelConfiguration.Orderer, admission: @escaping Authorizer) -> Authorizer {
        { certificate in
            admission(certificate).flatMap { caller in
                // The pin of the record given (a consenter in force, or one being retired).
                caller.role == .orderer && orderer.tlsKeySHA256 == ConsenterPin.keySHA256(of: caller.certificate)
                    ? .success(caller)
                    : .failure(AuthorizationRefusal("\(caller) is not consenter \(orderer.raftID) (\(orderer.name)) of channel '\(self.name)'"))
            }
        }
    }
}
