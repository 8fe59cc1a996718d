#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore

/// One change an operator asks of a channel's configuration (`weft channel update create`,
/// docs/governance.md).
public enum ChannelConfigEdit: Sendable, Equatable {
    /// Adds an organization (from its MSP folder: `ChannelConfigBuilder.organization`).
    case addOrganization(ChannelConfig.Organization)
    /// Removes the organization with this MSP id.
    case removeOrganization(mspID: String)
    /// Sets `batch.maxTxCount`, `batch.preferredMaxBytes`, `batch.absoluteMaxBytes` or `batch.timeoutMilliseconds`.
    case set(key: String, value: String)
    /// Sets a channel policy: `Readers`, `Writers`, `Admins`, `BlockValidation`, `Endorsement` (of
    /// chaincodes the configuration lists without one) or `LifecycleEndorsement` (whose approvals a
    /// chaincode definition needs; the configuration's `_lifecycle` entry).
    case setPolicy(name: String, expression: String)
    /// Adds a consenter (an orderer of one of the channel's orderer organizations; by default of the
    /// only one) at `address`, with its TLS and signing certificates (DER). It takes the next Raft id.
    case addConsenter(name: String, mspID: String?, address: String, tlsCertificate: [UInt8], signingCertificate: [UInt8])
    /// Removes the consenter named `name`.
    case removeConsenter(name: String)
    /// Replaces a consenter's certificates (TLS and signing; DER) or address.
    case updateConsenter(name: String, tlsCertificate: [UInt8]?, signingCertificate: [UInt8]?, address: String?)

    /// A refused edit, naming what is wrong.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// `config` with this edit applied.
    public func apply(to config: ChannelConfig) throws(Failure) -> ChannelConfig {
        var next = config
        switch self {
        case .addOrganization(let organization):
            guard !config.organizations.contains(where: { $0.mspID == organization.mspID || $0.name == organization.name }) else {
                throw Failure(description: "organization \(organization.name) (\(organization.mspID)) is already a member of channel '\(config.name)'")
            }
            next.organizations.append(organization)
        case .removeOrganization(let mspID):
            guard let index = config.organizations.firstIndex(where: { $0.mspID == mspID }) else {
                throw Failure(description: "\(mspID) is not an organization of channel '\(config.name)' (\(config.organizations.map(\.mspID).joined(separator: ", ")))")
            }
            guard !config.consenters.contains(where: { $0.mspID == mspID }) else {
                throw Failure(description: "\(mspID) provides consenters of channel '\(config.name)': removing it would remove the orderers")
            }
            next.organizations.remove(at: index)
        case let .set(key, value):
            guard let number = UInt32(value) else { throw Failure(description: "\(key)=\(value): expected a whole number") }
            switch key {
            case "batch.maxTxCount": next.batch.maxTxCount = number
            case "batch.preferredMaxBytes": next.batch.preferredMaxBytes = number
            case "batch.absoluteMaxBytes": next.batch.absoluteMaxBytes = number
            case "batch.timeoutMilliseconds": next.batch.timeoutMilliseconds = number
            default:
                throw Failure(description: "unknown setting '\(key)'; settable: batch.maxTxCount, batch.preferredMaxBytes, batch.absoluteMaxBytes, batch.timeoutMilliseconds")
            }
        case let .setPolicy(name, expression):
            switch name {
            case "Readers": next.policies.readers = expression
            case "Writers": next.policies.writers = expression
            case "Admins": next.policies.admins = expression
            case "BlockValidation": next.policies.blockValidation = expression
            case "Endorsement": next.policies.endorsement = expression
            case "LifecycleEndorsement":
                let lifecycle = ChannelConfig.Chaincode(name: LifecycleKeys.namespace, policy: expression)
                if let index = config.chaincodes.firstIndex(where: { $0.name == LifecycleKeys.namespace }) {
                    next.chaincodes[index] = lifecycle
                } else {
                    next.chaincodes.append(lifecycle)
                }
            case _ where name.hasPrefix("chaincode."):
                throw Failure(description: "a chaincode's endorsement policy changes with a new definition through the chaincode lifecycle, not a configuration update: weft chaincode approve … --policy EXPR by each organization, then weft chaincode commit")
            default:
                throw Failure(description: "unknown policy '\(name)'; one of Readers, Writers, Admins, BlockValidation, Endorsement, LifecycleEndorsement")
            }
        case let .addConsenter(name, mspID, address, tlsCertificate, signingCertificate):
            guard !config.consenters.contains(where: { $0.name == name }) else {
                throw Failure(description: "channel '\(config.name)' has a consenter '\(name)' already")
            }
            let ordererOrganizations = config.organizations.filter(\.isOrdererOrganization).map(\.mspID)
            guard let owner = mspID ?? (ordererOrganizations.count == 1 ? ordererOrganizations[0] : nil) else {
                throw Failure(description: "channel '\(config.name)' has orderer organizations \(ordererOrganizations.joined(separator: ", ")): name the new consenter's with --msp-id")
            }
            guard ordererOrganizations.contains(owner) else {
                throw Failure(description: "\(owner) is not an orderer organization of channel '\(config.name)' (\(ordererOrganizations.joined(separator: ", ")))")
            }
            let raftID = (config.consenters.map(\.raftID).max() ?? 0) + 1
            next.consenters.append(.init(
                name: name, mspID: owner, raftID: raftID, address: address, tlsCertificate: tlsCertificate, signingCertificate: signingCertificate))
        case .removeConsenter(let name):
            guard config.consenters.contains(where: { $0.name == name }) else {
                throw Failure(description: "channel '\(config.name)' has no consenter '\(name)' (\(config.consenters.map(\.name).joined(separator: ", ")))")
            }
            guard config.consenters.count > 1 else {
                throw Failure(description: "\(name) is the last consenter of channel '\(config.name)': the channel would have no orderer")
            }
            next.consenters.removeAll { $0.name == name }
        case let .updateConsenter(name, tlsCertificate, signingCertificate, address):
            guard let index = config.consenters.firstIndex(where: { $0.name == name }) else {
                throw Failure(description: "channel '\(config.name)' has no consenter '\(name)' (\(config.consenters.map(\.name).joined(separator: ", ")))")
            }
            if let tlsCertificate { next.consenters[index].tlsCertificate = tlsCertificate }
            if let signingCertificate { next.consenters[index].signingCertificate = signingCertificate }
            if let address { next.consenters[index].address = address }
        }
        return next
    }

    /// The update of `config` by `edits`: the next version (sequence + 1), dated `time`, unsigned.
    public static func update(of config: ChannelConfig, by edits: [ChannelConfigEdit], at time: Date = Date()) throws(Failure) -> ConfigTransaction {
        var next = config
        for edit in edits { next = try edit.apply(to: next) }
        guard next != config else { throw Failure(description: "the edits change nothing") }
        next.sequence = config.sequence + 1
        next.timestamp = UInt64(max(0, (time.timeIntervalSince1970 * 1000).rounded()))
        return ConfigTransaction(configBytes: next.canonicalBytes, signatures: [])
    }
}
