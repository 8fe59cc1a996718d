#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore

extension ChannelContext {
    /// Checks a configuration update against this configuration — the one in force — as every orderer
    /// does before ordering it and every peer and orderer does again when it arrives in a block
    /// (docs/governance.md):
    ///
    /// 1. its configuration decodes and is for this channel;
    /// 2. it replaces the version in force (its `sequence` is the current one plus one);
    /// 3. every signature is an administrator's of a member organization, valid at the update's
    ///    timestamp, over the configuration bytes;
    /// 4. the signers satisfy the channel's Admins policy as it is now (the update cannot loosen the
    ///    rule it is judged by);
    /// 5. consenters change one at a time, and the Raft members stay the same;
    /// 6. the chaincodes it lists stay the same, but for the LifecycleEndorsement policy (entry
    ///    `_lifecycle`): definitions change through the chaincode lifecycle;
    /// 7. the new configuration can run.
    ///
    /// Returns the channel as the update makes it. Deterministic: every node reaches the same verdict.
    public func checkUpdate(_ update: ConfigTransaction) throws(ChannelRefusal) -> ChannelContext {
        let next: ChannelConfig
        do { next = try update.config() } catch {
            throw .invalidConfig(channel: name, reason: "the update's configuration does not decode: \(error)")
        }
        guard next.name == name else {
            throw .invalidConfig(channel: name, reason: "the update is for channel '\(next.name.prefix(64))'")
        }
        guard next.sequence == config.sequence + 1 else {
            throw .staleUpdate(channel: name, current: config.sequence, replaces: next.sequence &- 1)
        }
        let time = next.writtenAt
        var signers: [ValidatedIdentity] = []
        for signature in update.signatures {
            signers.append(try checkAdminSignature(signature, over: update.configBytes, at: time))
        }
        guard admins.isSatisfied(by: signers, membership: validator.membership) else {
            let signed = Set(signers.map(\.mspID)).sorted()
            throw .updateNotAuthorized(
                channel: name,
                reason: "signed by administrators of \(signed.isEmpty ? "no organization" : signed.joined(separator: ", ")) "
                    + "of \(config.organizations.count) organizations; the Admins policy '\(config.policies.admins)' needs more")
        }
        try Self.checkConsenterChange(from: config, to: next)
        let definedHere = { (config: ChannelConfig) in config.chaincodes.filter { $0.name != LifecycleKeys.namespace } }
        guard definedHere(next) == definedHere(config) else {
            throw .invalidConfig(channel: name, reason: "it changes the configuration's chaincodes; chaincode definitions change through the chaincode lifecycle (weft chaincode approve, weft chaincode commit)")
        }
        return try ChannelContext(config: next, genesis: genesis, at: time)
    }

    /// Consenters change one at a time (a certificate or an address), so a quorum of the orderers keeps
    /// working across every update. The Raft members themselves (their ids) and the Raft timing stay
    /// the same: adding and removing orderers is not done live yet.
    static func checkConsenterChange(from old: ChannelConfig, to new: ChannelConfig) throws(ChannelRefusal) {
        func refuse(_ reason: String) -> ChannelRefusal { .invalidConfig(channel: new.name, reason: reason) }
        let before = Dictionary(old.consenters.map { ($0.raftID, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.consenters.map { ($0.raftID, $0) }, uniquingKeysWith: { first, _ in first })
        guard !after.isEmpty else { throw refuse("it removes every consenter: the channel would have no orderer") }
        guard new.raft == old.raft else {
            throw refuse("it changes the Raft timing (tickMilliseconds, electionTicks), which running orderers do not change live")
        }
        let added = Set(after.keys).subtracting(before.keys).sorted()
        let removed = Set(before.keys).subtracting(after.keys).sorted()
        guard added.isEmpty, removed.isEmpty else {
            throw refuse("it changes the Raft members (adds \(added), removes \(removed)); this version changes consenters' "
                + "certificates and addresses live, not the set of orderers")
        }
        let changed = after.values.filter { before[$0.raftID] != $0 }.map(\.name).sorted()
        guard changed.count <= 1 else {
            throw refuse("it changes \(changed.count) consenters (\(changed.joined(separator: ", "))); change one per update so a quorum keeps ordering")
        }
    }
}

extension ChannelContext {
    /// The channel under a configuration this node checked when it arrived and recorded (a peer's
    /// `_config` state, an orderer's `config.block`): derived again, not re-checked against its
    /// predecessor, at the time it was written.
    convenience init(recorded entry: [UInt8], genesis: Block) throws {
        let config = try ConfigTransaction(canonicalBytes: entry).config()
        try self.init(config: config, genesis: genesis, at: config.writtenAt)
    }
}

extension ChannelConfig {
    /// When this version was written: the time its administrators' certificates are checked at.
    var writtenAt: Date { Date(timeIntervalSince1970: Double(timestamp) / 1000) }
}
