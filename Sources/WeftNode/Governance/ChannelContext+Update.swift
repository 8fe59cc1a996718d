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
    /// 5. one consenter changes at a time: one added, one removed, or one's certificates or address;
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

    /// One consenter changes per update — one added, one removed, or one's certificates or address —
    /// so that any two successive consenter sets share a quorum and Raft changes its membership one
    /// server at a time. The Raft timing stays the same (running orderers do not change it).
    static func checkConsenterChange(from old: ChannelConfig, to new: ChannelConfig) throws(ChannelRefusal) {
        func refuse(_ reason: String) -> ChannelRefusal { .invalidConfig(channel: new.name, reason: reason) }
        let before = Dictionary(old.consenters.map { ($0.raftID, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.consenters.map { ($0.raftID, $0) }, uniquingKeysWith: { first, _ in first })
        guard !after.isEmpty else { throw refuse("it removes every consenter: the channel would have no orderer") }
        guard new.raft == old.raft else {
            throw refuse("it changes the Raft timing (tickMilliseconds, electionTicks), which running orderers do not change live")
        }
        let names = { (ids: [UInt64], from: [UInt64: ChannelConfig.Consenter]) in ids.sorted().compactMap { from[$0]?.name } }
        let added = names(Array(Set(after.keys).subtracting(before.keys)), after)
        let removed = names(Array(Set(before.keys).subtracting(after.keys)), before)
        let changed = after.values.filter { consenter in before[consenter.raftID].map { $0 != consenter } ?? false }.map(\.name).sorted()
        let all = added.map { "adds \($0)" } + removed.map { "removes \($0)" } + changed.map { "changes \($0)" }
        guard all.count <= 1 else {
            throw refuse("it \(all.joined(separator: ", ")): change one consenter per update, so that every two successive consenter sets share a quorum")
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
