import NIOConcurrencyHelpers
import WeftCore

/// Consenters a configuration update removed, remembered by an orderer so that Raft can finish with
/// them: until Raft's membership no longer names one, its Raft messages are accepted and Raft's
/// messages to it are sent (a removed leader hands its leadership over this way).
final class RetiredConsenters: Sendable {
    private let consenters = NIOLockedValueBox<[ChannelConfiguration.Orderer]>([])

    /// Remembers the consenters of `old` that `new` no longer lists.
    func retire(from old: ChannelConfiguration, to new: ChannelConfiguration) {
        let removed = old.orderers.filter { orderer in !new.orderers.contains { $0.raftID == orderer.raftID } }
        guard !removed.isEmpty else { return }
        consenters.withLockedValue { list in
            list.removeAll { orderer in removed.contains { $0.raftID == orderer.raftID } }
            list += removed
        }
    }

    /// The retired consenter with Raft id `raftID`.
    func consenter(raftID: UInt64) -> ChannelConfiguration.Orderer? {
        consenters.withLockedValue { $0.last { $0.raftID == raftID } }
    }

    /// The retired consenter pinned to the TLS key with this SHA-256.
    func consenter(tlsKeySHA256: String) -> ChannelConfiguration.Orderer? {
        consenters.withLockedValue { $0.last { $0.tlsKeySHA256 == tlsKeySHA256 } }
    }
}
