import NIOConcurrencyHelpers
import WeftCore

/// The configuration a node runs one channel by right now: the genesis block's at first, then each
/// valid configuration update's from the block that carries it (docs/governance.md). Read on every
/// channel call; replaced by the committer (peer) or the block watcher (orderer).
final class LiveChannel: Sendable {
    private let box: NIOLockedValueBox<ChannelContext>

    init(_ channel: ChannelContext) { box = NIOLockedValueBox(channel) }

    /// The configuration in force.
    var current: ChannelContext { box.withLockedValue { $0 } }

    /// Puts `channel` in force.
    func replace(with channel: ChannelContext) { box.withLockedValue { $0 = channel } }
}

/// Where a node keeps the newest configuration of each channel in its state: the configuration entry
/// (`ConfigTransaction` bytes) under namespace `_config`, key `channel`, written with the block that
/// carries it — so a restarted peer and a snapshot know it, and its history is the configuration's.
enum ConfigurationRecord {
    static let namespace = "_config"
    static let key = "channel"

    static func write(_ entry: [UInt8]) -> KVWrite { KVWrite(namespace: namespace, key: key, value: entry) }
}
