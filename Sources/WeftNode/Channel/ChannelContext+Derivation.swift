#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import WeftCrypto
import WeftProtocol

extension ChannelContext {
    /// The channel's organizations as a `Membership`; orderer organizations are those granting `orderer`.
    static func membership(of config: ChannelConfig) throws(ChannelRefusal) -> Membership {
        func invalid(_ reason: String) -> ChannelRefusal { .invalidConfig(channel: config.name, reason: reason) }
        guard !config.organizations.isEmpty else { throw invalid("it has no organization") }
        var organizations: [Organization] = []
        for definition in config.organizations {
            for role in definition.roles where Role(rawValue: role) == nil {
                throw invalid("organization \(definition.mspID) lists the unknown role '\(role)'")
            }
            func certificates(_ list: [[UInt8]], _ what: String) throws(ChannelRefusal) -> [Certificate] {
                var parsed: [Certificate] = []
                for der in list {
                    do { parsed.append(try Certificate(derRepresentation: der)) } catch {
                        throw invalid("organization \(definition.mspID): a \(what) certificate does not parse: \(error)")
                    }
                }
                return parsed
            }
            let tlsCAs = try certificates(definition.tlsCACertificates, "TLS CA")
            guard !tlsCAs.isEmpty else { throw invalid("organization \(definition.mspID) has no TLS CA certificate") }
            organizations.append(Organization(
                name: definition.name, mspID: definition.mspID,
                caCertificates: try certificates(definition.caCertificates, "CA"), tlsCACertificates: tlsCAs,
                adminCertificates: try certificates(definition.adminCertificates, "admin"),
                revokedSerialNumbers: definition.revokedSerialNumbers))
        }
        let ordererMSPIDs = Set(config.organizations.filter(\.isOrdererOrganization).map(\.mspID))
        guard !ordererMSPIDs.isEmpty else { throw invalid("no organization grants the orderer role") }
        do {
            return try Membership(organizations: organizations, ordererMSPIDs: ordererMSPIDs)
        } catch {
            throw invalid("\(error)")
        }
    }

    /// The configuration in the node components' shape, after checking the consenters' certificates,
    /// addresses and Raft ids, and the batch and Raft settings.
    static func configuration(of config: ChannelConfig, membership: Membership, at time: Date) throws(ChannelRefusal) -> ChannelConfiguration {
        func invalid(_ reason: String) -> ChannelRefusal { .invalidConfig(channel: config.name, reason: reason) }
        guard !config.consenters.isEmpty else { throw invalid("it has no consenter") }
        var orderers: [ChannelConfiguration.Orderer] = []
        for consenter in config.consenters {
            let label = "consenter \(consenter.name)"
            guard consenter.raftID != 0, !orderers.contains(where: { $0.raftID == consenter.raftID }) else {
                throw invalid("\(label): Raft ids must be distinct and non-zero (\(consenter.raftID))")
            }
            guard !orderers.contains(where: { $0.name == consenter.name }) else { throw invalid("\(label) is listed twice") }
            guard Endpoint(consenter.address) != nil else { throw invalid("\(label): '\(consenter.address)' is not host:port") }
            let tls: Certificate
            do { tls = try Certificate(derRepresentation: consenter.tlsCertificate) } catch {
                throw invalid("\(label): its TLS certificate does not parse: \(error)")
            }
            switch membership.validateTLS(tls, at: time) {
            case .success(let identity) where identity.mspID == consenter.mspID && identity.role == .orderer: break
            case .success(let identity): throw invalid("\(label): its TLS certificate is \(identity), not an orderer of \(consenter.mspID)")
            case .failure(let failure): throw invalid("\(label): its TLS certificate is refused: \(failure)")
            }
            let signing: ValidatedIdentity
            switch membership.validate(SerializedIdentity(mspID: consenter.mspID, certificate: consenter.signingCertificate), at: time) {
            case .success(let identity) where identity.role == .orderer: signing = identity
            case .success(let identity): throw invalid("\(label): its signing certificate is \(identity), not an orderer")
            case .failure(let failure): throw invalid("\(label): its signing certificate is refused: \(failure)")
            }
            orderers.append(.init(
                ConnectionProfile.Orderer(name: consenter.name, address: consenter.address, mspID: consenter.mspID), raftID: consenter.raftID,
                tlsKeySHA256: ConsenterPin.keySHA256(of: tls), signingKeySHA256: ConsenterPin.keySHA256(of: signing.certificate)))
        }
        let batch = config.batch
        guard batch.maxTxCount >= 1, batch.timeoutMilliseconds >= 1, batch.preferredMaxBytes >= 1,
              batch.preferredMaxBytes <= batch.absoluteMaxBytes, batch.absoluteMaxBytes <= 1 << 30
        else {
            throw invalid("batch settings need maxTxCount ≥ 1, timeout ≥ 1 ms and 1 ≤ preferredMaxBytes ≤ absoluteMaxBytes ≤ 1 GiB")
        }
        guard config.raft.tickMilliseconds >= 10, config.raft.electionTicks >= 3 else {
            throw invalid("Raft settings need tickMilliseconds ≥ 10 and electionTicks ≥ 3")
        }
        var peers: [ConnectionProfile.Peer] = []
        for organization in config.organizations {
            for anchor in organization.anchorPeers {
                guard Endpoint(anchor.address) != nil else { throw invalid("anchor peer \(anchor.name): '\(anchor.address)' is not host:port") }
                peers.append(.init(name: anchor.name, address: anchor.address, mspID: organization.mspID))
            }
        }
        return ChannelConfiguration(
            id: config.name, organizations: [], orderers: orderers, peers: peers,
            chaincodes: config.chaincodes.filter { $0.name != LifecycleKeys.namespace }
                .map { .init(name: $0.name, policy: $0.policy.isEmpty ? config.policies.endorsement : $0.policy) },
            batch: .init(maxTxCount: Int(batch.maxTxCount), preferredMaxBytes: Int(batch.preferredMaxBytes),
                         absoluteMaxBytes: Int(batch.absoluteMaxBytes), timeoutMilliseconds: Int(batch.timeoutMilliseconds)),
            blockPolicy: config.policies.blockValidation,
            raft: .init(tickMilliseconds: Int(config.raft.tickMilliseconds), electionTicks: Int(config.raft.electionTicks)))
    }
}
