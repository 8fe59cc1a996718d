/// A peer's ledgers (`ledger:` in node.yaml, docs/node-config.md): the memory their SQLite page caches
/// may hold, how many recent blocks keep their bodies and key history, whether pruning waits for a
/// snapshot, and whether pruned blocks are archived first. The top-level retention values apply to
/// every channel; `channels` overrides them per channel.
///
/// ```yaml
/// ledger:
///   cacheMiB: 32
///   retainBlocks: 100000
///   requireSnapshotBeforePrune: true
///   archive: true
///   channels:
///     ch2: {retainBlocks: 1000}
/// ```
public struct LedgerSettings: Codable, Sendable, Equatable {
    /// The page cache budget of the peer's SQLite ledgers, in MiB, shared by all its channels.
    public static let defaultCacheMiB = 32

    /// MiB of memory the SQLite page caches of all the peer's channels hold together, at most about
    /// (`SQLiteMemory`); each ledger's writer may use half of it. Default `defaultCacheMiB`.
    public var cacheMiB: Int?
    /// Keep the bodies and key history of the last `retainBlocks` blocks; older ones are pruned in the
    /// background after commits. Absent: never prune on its own (`weft ledger prune` still does).
    public var retainBlocks: UInt64?
    /// Refuse to prune above the height of the latest snapshot the peer wrote
    /// (`dataDir/snapshots/<channel>/`), for automatic and requested pruning alike. Default false.
    public var requireSnapshotBeforePrune: Bool?
    /// Export the blocks automatic pruning removes to `dataDir/archives/<channel>/` first. Default false.
    public var archive: Bool?
    /// Per-channel values, by channel name; a value left out there is the top-level one.
    public var channels: [String: ChannelLedgerSettings]?

    public init(cacheMiB: Int? = nil, retainBlocks: UInt64? = nil, requireSnapshotBeforePrune: Bool? = nil, archive: Bool? = nil,
                channels: [String: ChannelLedgerSettings]? = nil) {
        self.cacheMiB = cacheMiB
        self.retainBlocks = retainBlocks
        self.requireSnapshotBeforePrune = requireSnapshotBeforePrune
        self.archive = archive
        self.channels = channels
    }

    /// The settings in force for `channel`.
    public func retention(for channel: String) -> LedgerRetention {
        let own = channels?[channel]
        return LedgerRetention(
            retainBlocks: own?.retainBlocks ?? retainBlocks,
            requireSnapshotBeforePrune: own?.requireSnapshotBeforePrune ?? requireSnapshotBeforePrune ?? false,
            archive: own?.archive ?? archive ?? false)
    }

    /// The page cache budget in force, in MiB.
    public var cacheBudgetMiB: Int { cacheMiB ?? Self.defaultCacheMiB }

    /// Refuses a cache budget below 4 MiB and a retention of zero blocks (the last block is always
    /// kept whole).
    func validate() throws {
        if let cacheMiB, cacheMiB < 4 {
            throw ConfigurationError.invalid(path: "ledger.cacheMiB", reason: "\(cacheMiB) is too small; give at least 4 (MiB)")
        }
        let all = [("ledger.retainBlocks", retainBlocks)] + (channels ?? [:]).sorted { $0.key < $1.key }
            .map { ("ledger.channels.\($0.key).retainBlocks", $0.value.retainBlocks) }
        for (path, value) in all where value == 0 {
            throw ConfigurationError.invalid(path: path, reason: "0 would prune every block; give at least 1, or leave it out to keep every block")
        }
    }
}

/// One channel's overrides of `LedgerSettings`.
public struct ChannelLedgerSettings: Codable, Sendable, Equatable {
    public var retainBlocks: UInt64?
    public var requireSnapshotBeforePrune: Bool?
    public var archive: Bool?

    public init(retainBlocks: UInt64? = nil, requireSnapshotBeforePrune: Bool? = nil, archive: Bool? = nil) {
        self.retainBlocks = retainBlocks
        self.requireSnapshotBeforePrune = requireSnapshotBeforePrune
        self.archive = archive
    }
}

/// The retention in force for one channel of a peer.
public struct LedgerRetention: Sendable, Equatable {
    /// Blocks whose bodies are kept; nil: no automatic pruning.
    public var retainBlocks: UInt64?
    public var requireSnapshotBeforePrune: Bool
    public var archive: Bool

    public init(retainBlocks: UInt64?, requireSnapshotBeforePrune: Bool, archive: Bool) {
        self.retainBlocks = retainBlocks
        self.requireSnapshotBeforePrune = requireSnapshotBeforePrune
        self.archive = archive
    }

    /// The block below which automatic pruning may prune now, at `height`, given the height of the
    /// latest snapshot (nil: none) and what is already pruned; nil when there is nothing to do. At most
    /// `chunk` blocks past `prunedBelow`, so one step is one short prune.
    public func nextPrune(height: UInt64, prunedBelow: UInt64, latestSnapshot: UInt64?, chunk: UInt64) -> UInt64? {
        guard let retainBlocks, height > retainBlocks else { return nil }
        var target = height - retainBlocks
        if requireSnapshotBeforePrune { target = min(target, latestSnapshot ?? 0) }
        guard target > prunedBelow else { return nil }
        return min(target, prunedBelow + chunk)
    }
}
