#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import WeftCore
import Raft

/// How one orderer of a Raft ordering cluster runs: who it is, where it keeps its state, how it signs,
/// cuts and checks, and its timing.
public struct OrderingConfiguration: Sendable {
    /// This orderer's Raft node id (non-zero).
    public var nodeID: NodeID
    /// Every orderer of the cluster, this one included, as the channel's configuration names them when
    /// the node starts; Raft's log (membership entries) and `OrderingNode.reconfigure` change them.
    public var voters: [NodeID]
    /// The channel this ordering service serves.
    public var channelID: String
    /// The data directory: `raft/` (FileRaftStorage), `blocks/` (BlockStore) and a `LOCK` file.
    public var directory: String
    /// The orderer's identity (role `orderer`): it signs every block it stores.
    public var signer: SigningIdentity
    /// When blocks are cut.
    public var batchLimits: BatchLimits
    /// Validates broadcast creators against the channel's organizations.
    public var validator: IdentityValidator
    /// MSP ids of the organizations whose clients may broadcast to the channel.
    public var writerMSPIDs: Set<String>
    /// How far a proposal timestamp may be from the orderer's wall clock (default ±10 minutes).
    public var timestampSkew: Duration = BroadcastCheck.defaultTimestampSkew
    /// The orderer's wall clock, for certificate validity and timestamp skew.
    public var wallClock: @Sendable () -> Date = { Date() }
    /// One Raft tick (default 100 ms).
    public var tickInterval: Duration = .milliseconds(100)
    /// Election timeout in ticks: a follower campaigns after a random `electionTicks ..< 2 × electionTicks`
    /// ticks without a leader (default 10, i.e. 1–2 s with 100 ms ticks).
    public var electionTicks = 10
    /// Heartbeat interval in ticks (default 1).
    public var heartbeatTicks = 1
    /// Most blocks the leader keeps proposed but not yet applied (default 5, as Fabric's etcdraft).
    /// Within its term a leader chains each block on the one it proposed before, and a new leader starts
    /// only from what it applied (`LeaderPipeline`), so blocks in flight never fork the chain; with 1, the
    /// leader forms a block only once all its earlier blocks were applied.
    public var maxInflightBlocks = 5
    /// Most envelopes the leader holds in its cutter and queued batches; beyond it a broadcast is
    /// answered 503 (default 20,000).
    public var maxPendingEnvelopes = 20_000
    /// A Raft snapshot is taken (and the log compacted) after this many bytes of blocks were applied
    /// since the last one (default 16 MiB, Fabric's `SnapshotIntervalSize`).
    public var snapshotIntervalBytes = 16 << 20
    /// Most blocks asked for in one catch-up request (default 16).
    public var catchUpBlocksPerRequest = 16
    /// The seed of Raft's randomized election timeouts; nil draws one from the system's secure source.
    public var randomSeed: UInt64?
    /// Told about cut batches and written blocks (the node's metrics); nothing by default.
    public var observer: OrderingObserver = .none
    /// The channel's block 0 (its configuration), stored as the first block of a new chain; a chain
    /// that exists must start with it. nil: the chain starts with the first batch (library use, tests).
    public var genesis: Block?
    /// Checks configuration updates before they are ordered (`BroadcastCheck.configurationCheck`); nil
    /// refuses them.
    public var configurationCheck: (@Sendable ([UInt8]) throws(BroadcastRejection) -> String)?

    /// Creates a configuration with the default timing (100 ms ticks, 1–2 s elections).
    public init(
        nodeID: NodeID, voters: [NodeID], channelID: String, directory: String, signer: SigningIdentity,
        batchLimits: BatchLimits = BatchLimits(), validator: IdentityValidator, writerMSPIDs: Set<String>
    ) {
        self.nodeID = nodeID
        self.voters = voters
        self.channelID = channelID
        self.directory = directory
        self.signer = signer
        self.batchLimits = batchLimits
        self.validator = validator
        self.writerMSPIDs = writerMSPIDs
    }

    /// The Raft configuration this orderer runs with.
    public var raftConfiguration: RaftConfiguration {
        RaftConfiguration(id: nodeID, voters: voters, electionTicks: electionTicks, heartbeatTicks: heartbeatTicks)
    }

    /// The broadcast checks of this orderer.
    public var broadcastCheck: BroadcastCheck {
        var check = BroadcastCheck(channelID: channelID, absoluteMaxBytes: batchLimits.absoluteMaxBytes, validator: validator,
                                   writerMSPIDs: writerMSPIDs, timestampSkew: timestampSkew, now: wallClock)
        check.configurationCheck = configurationCheck
        return check
    }

    /// Throws unless the configuration can run.
    public func validate() throws(OrdererError) {
        func fail(_ reason: String) -> OrdererError { .invalidConfiguration(reason) }
        do { try raftConfiguration.validate() } catch { throw fail("\(error)") }
        try batchLimits.validate()
        guard batchLimits.absoluteMaxBytes <= 1 << 30 else {
            throw fail("absoluteMaxBytes (\(batchLimits.absoluteMaxBytes)) may be at most 1 GiB")
        }
        guard !channelID.isEmpty else { throw fail("the channel id is empty") }
        guard !directory.isEmpty else { throw fail("the data directory is empty") }
        guard !writerMSPIDs.isEmpty else { throw fail("no organization may write to channel \(channelID)") }
        guard tickInterval > .zero else { throw fail("tickInterval must be positive") }
        guard timestampSkew >= .zero else { throw fail("timestampSkew must not be negative") }
        guard maxInflightBlocks >= 1 else { throw fail("maxInflightBlocks must be at least 1") }
        guard maxPendingEnvelopes >= batchLimits.maxEnvelopeCount else {
            throw fail("maxPendingEnvelopes (\(maxPendingEnvelopes)) must hold at least one full batch "
                + "(\(batchLimits.maxEnvelopeCount))")
        }
        guard snapshotIntervalBytes >= 1 else { throw fail("snapshotIntervalBytes must be positive") }
        guard catchUpBlocksPerRequest >= 1 else { throw fail("catchUpBlocksPerRequest must be at least 1") }
    }
}
