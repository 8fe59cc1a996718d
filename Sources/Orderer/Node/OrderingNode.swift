#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import NIOConcurrencyHelpers
import Raft
import WeftCore
import WeftCrypto

/// One orderer of a Raft ordering cluster, as an actor that owns a `RaftNode`, its `FileRaftStorage`,
/// a `BlockCutter` and a `BlockStore`, and drives them (docs/ordering.md):
///
/// - **Broadcast** (`broadcast(_:)`): the checks of `BroadcastCheck` run on the caller's task, in
///   parallel; an accepted envelope goes to the leader's cutter, or is forwarded to the leader through
///   the `RaftTransport` by a follower.
/// - **Blocks**: the leader forms a block from each batch the cutter cuts and proposes the block's bytes
///   through Raft, so Raft replicates blocks. On apply, every orderer checks that the block continues
///   its chain, signs its header hash, and appends it to its block store.
/// - **Raft**: ticks (`tick()`, driven by `run()` on the injected `OrderingClock`) and messages
///   (`receive(_:)`) step the node; each `Ready` is handled in Raft's order: persist (fsync), send,
///   apply, advance. The log is compacted into a snapshot — the chain's tip — every
///   `snapshotIntervalBytes` of blocks; a node whose snapshot is ahead of its store fetches the missing
///   blocks from another orderer.
/// - **Deliver** (`deliver(from:)`): streams stored blocks, then new ones as they become durable.
///
/// Inputs only change state and ask for processing; `run()` processes (persist, send, apply) in one
/// loop. Every write and fsync runs on the node's disk lane (a `SerialLane` of the shared blocking
/// executor), which the actor awaits: it never blocks,
/// and whatever arrives during an fsync is persisted together in the next `Ready`.
public actor OrderingNode {
    /// How this node runs.
    public nonisolated let configuration: OrderingConfiguration
    /// The node's Raft id.
    public nonisolated var id: NodeID { configuration.nodeID }
    /// The node's durable chain, readable from any thread.
    public nonisolated let blockStore: BlockStore

    /// The broadcast checks in force (a configuration update replaces them: `reconfigure`).
    nonisolated let broadcastChecks: NIOLockedValueBox<BroadcastCheck>
    nonisolated var broadcastCheck: BroadcastCheck { broadcastChecks.withLockedValue { $0 } }
    nonisolated let transport: any RaftTransport
    nonisolated let clock: any OrderingClock
    nonisolated let leaderHint = LeaderHint()
    /// The answer to every envelope this node accepts as leader (made once: broadcast is a hot path).
    nonisolated let acceptedResponse: BroadcastResult
    nonisolated let applier: BlockApplier
    /// Where the node's writes, fsyncs and block applies run, one at a time, in order.
    nonisolated let disk: SerialLane
    private nonisolated let directoryLock: DirectoryLock

    var raft: RaftNode
    nonisolated let raftStorage: RaftStorageHandle
    var cutter: BlockCutter
    /// The batch limits in force (the configuration's, then each update's).
    var currentBatchLimits: BatchLimits
    /// The voters the channel's configuration names (the consenters); a leader moves Raft's membership
    /// toward them one node at a time (`OrderingNode+Membership.swift`).
    var configuredVoters: [NodeID]
    /// Block formation while this node leads; nil otherwise.
    var pipeline: LeaderPipeline?
    /// When this leader accepted the envelopes it has not written yet (broadcast-to-block times).
    var arrivals = EnvelopeArrivals()
    /// Blocks this node must fetch before it can apply more; nil when its store is complete.
    var catchUp: CatchUp?
    /// The index of the snapshot in `raftStorage`.
    var persistedSnapshotIndex: UInt64
    /// Envelope bytes applied since the last snapshot.
    var appliedBytesSinceSnapshot = 0
    /// Which other node the next catch-up request goes to when no leader is known.
    var catchUpSourceRotation = 0
    /// Batches of committed entries handed to the disk lane and not yet applied.
    var appliesInFlight = 0
    /// Why the node stopped working, if it failed.
    var failure: OrdererError?
    var isStopped = false
    /// Whether `run()` was called (it runs once).
    var hasRun = false

    nonisolated let batchTimers: AsyncStream<BatchTimer>
    let batchTimerRequests: AsyncStream<BatchTimer>.Continuation
    nonisolated let catchUpSignals: AsyncStream<Void>
    let catchUpRequests: AsyncStream<Void>.Continuation
    nonisolated let processSignals: AsyncStream<Void>
    let processRequests: AsyncStream<Void>.Continuation
    /// A processing pass was asked for and has not started yet.
    var passRequested = false
    /// A processing pass is running (it may be waiting on the disk).
    var passRunning = false

    /// A batch timer to fire at `deadline` on the node's clock.
    struct BatchTimer: Sendable {
        let generation: UInt64
        let deadline: Duration
    }

    /// Opens (or creates) the node's state in `configuration.directory` and recovers it: the block store
    /// is cut back to its last whole block, and Raft restarts from its log with the store's last block
    /// as the applied state. Call `run()` to start ticking.
    public init(
        configuration: OrderingConfiguration, transport: any RaftTransport, clock: any OrderingClock = SystemOrderingClock()
    ) throws(OrdererError) {
        try configuration.validate()
        let directory = configuration.directory
        try PositionedFile.createDirectory(directory)
        let directoryLock = try DirectoryLock(directory: directory)
        let store = try BlockStore(directory: directory + "/blocks")
        if let genesis = configuration.genesis { try Self.adopt(genesis, store: store) }
        let storage: FileRaftStorage
        let persisted: PersistedState
        do {
            storage = try FileRaftStorage(directory: directory + "/raft")
            persisted = try storage.load()
        } catch {
            throw .raft(error)
        }
        let applied = try Self.appliedIndex(store: store, persisted: persisted)
        // The system generator draws from the kernel's secure source (getrandom).
        let seed = configuration.randomSeed ?? UInt64.random(in: .min ... .max)
        do {
            raft = try RaftNode(configuration: configuration.raftConfiguration, restoring: persisted,
                                applied: applied, random: SplitMix64(seed: seed))
        } catch {
            throw .raft(error)
        }
        self.configuration = configuration
        self.directoryLock = directoryLock
        blockStore = store
        raftStorage = RaftStorageHandle(storage)
        persistedSnapshotIndex = persisted.snapshot?.index ?? 0
        cutter = try BlockCutter(limits: configuration.batchLimits)
        currentBatchLimits = configuration.batchLimits
        configuredVoters = configuration.voters.sorted()
        broadcastChecks = NIOLockedValueBox(configuration.broadcastCheck)
        applier = BlockApplier(store: store, signer: configuration.signer, directory: directory)
        disk = SerialLane()
        acceptedResponse = .accepted(by: configuration.nodeID)
        self.transport = transport
        self.clock = clock
        (batchTimers, batchTimerRequests) = AsyncStream.makeStream(of: BatchTimer.self, bufferingPolicy: .bufferingNewest(1))
        (catchUpSignals, catchUpRequests) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (processSignals, processRequests) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Stores `genesis` as block 0 of an empty store (before any Raft entry: index 0); checks that a
    /// store with blocks starts with it.
    private static func adopt(_ genesis: Block, store: BlockStore) throws(OrdererError) {
        guard store.height > 0 else {
            try store.append(genesis, raftIndex: 0)
            try store.sync()
            return
        }
        let stored = try store.headerHash(of: 0)
        guard stored == genesis.header.hash else {
            throw .chainMismatch("block 0 in the store (\(Hex.encode(stored))) is not the channel's genesis block (\(Hex.encode(genesis.header.hash)))")
        }
    }

    /// The last Raft index the block store reflects. When the store holds every block of the persisted
    /// snapshot, that is at least the snapshot's index; when it holds fewer, Raft restores the snapshot
    /// and the node catches up.
    private static func appliedIndex(store: BlockStore, persisted: PersistedState) throws(OrdererError) -> UInt64 {
        var applied = min(store.lastRaftIndex, persisted.lastIndex)
        guard let snapshot = persisted.snapshot else { return applied }
        let snapshotTip: ChainTip
        do { snapshotTip = try ChainTip(canonicalBytes: snapshot.data) } catch {
            throw .corruptStorage(path: "raft/raft.snapshot", offset: 0, reason: "the snapshot's chain tip does not decode: \(error)")
        }
        let tip = store.tip
        guard tip.height >= snapshotTip.height else { return applied }
        if snapshotTip.height > 0, try store.headerHash(of: snapshotTip.height - 1) != snapshotTip.lastHash {
            throw .chainMismatch("block \(snapshotTip.height - 1) in the store differs from the Raft snapshot's")
        }
        applied = max(applied, snapshot.index)
        return applied
    }

    /// The node's state now.
    public func status() -> OrdererStatus {
        let raftStatus = raft.status
        return OrdererStatus(
            id: id, role: raftStatus.role, term: raftStatus.term, leader: raftStatus.leader, tip: blockStore.tip,
            commitIndex: raftStatus.commitIndex, appliedIndex: raftStatus.appliedIndex,
            snapshotIndex: raftStatus.snapshotIndex, isCatchingUp: catchUp != nil,
            lastIndex: raftStatus.lastIndex, pendingEnvelopes: (pipeline?.queuedEnvelopes ?? 0) + cutter.pending.count,
            proposalsInFlight: pipeline?.inflight.count ?? 0, isStopped: isStopped)
    }

    /// Streams this orderer's blocks from `number` on: the stored ones, then each new block once it is
    /// durable here, each with this orderer's signature. Pulled by the consumer, never buffered beyond
    /// one block. Ends with `OrdererError.stopped` when the node stops.
    public nonisolated func deliver(from number: UInt64) -> AsyncThrowingStream<Block, any Error> {
        blockStore.blocks(from: number)
    }

    /// The default byte budget of a catch-up answer: 1 MiB under the 16 MiB frame limit, leaving room
    /// for the frame and RPC headers around the encoded `BlockList`.
    public static let maxCatchUpAnswerBytes = (16 << 20) - (1 << 20)

    /// Answers another orderer's catch-up request: this node's blocks from `number` on, at most
    /// `maxCount` of them and, beyond the first, at most `maxBytes` as an encoded `BlockList` — so the
    /// answer fits one frame however large the blocks are.
    public nonisolated func blocks(
        startingAt number: UInt64, maxCount: Int, maxBytes: Int = OrderingNode.maxCatchUpAnswerBytes
    ) throws(OrdererError) -> [Block] {
        try blockStore.blocks(startingAt: number, maxCount: max(1, min(maxCount, 1024)), maxBytes: maxBytes)
    }

    /// Stops the node: it takes no more input, its run loop ends, its deliver streams end, and — once
    /// the disk work already submitted finished — its data directory is released (a new node may open
    /// it). Idempotent.
    public func stop() async {
        guard !isStopped else {
            await disk.run {}   // after the first caller's flush and release
            return
        }
        isStopped = true
        leaderHint.update(nil)
        pipeline = nil
        catchUp = nil
        batchTimerRequests.finish()
        catchUpRequests.finish()
        processRequests.finish()
        blockStore.close()
        let storage = raftStorage
        let lock = directoryLock
        await disk.run {
            try? storage.storage.flush()
            lock.release()
        }
    }

    /// Asks `run()`'s processing loop for a pass (persist, send, apply, propose).
    func requestProcessing() {
        passRequested = true
        processRequests.yield()
    }

    /// Whether the node has nothing left to process from its inputs so far: no pass asked for, none
    /// running. With no message in flight to it either, it sends nothing until its next input — what a
    /// test on a fake clock waits for before its next tick.
    public var isQuiescent: Bool { !passRequested && !passRunning }

    /// Records a fatal error and stops; `run()` then throws it.
    func fail(_ error: any Error) async {
        guard failure == nil else { return }
        if let error = error as? OrdererError {
            failure = error
        } else if let error = error as? RaftError {
            failure = .raft(error)
        } else {
            failure = .storageFailure(operation: "order", path: configuration.directory, reason: "\(error)")
        }
        await stop()
    }

    /// Applies a new configuration of the channel from the next envelope on: the batch limits, who may
    /// write and, when given, the consenters' Raft ids (docs/governance.md) — the leader then changes
    /// Raft's membership to them one node at a time. What is pending stays pending.
    public func reconfigure(
        batchLimits: BatchLimits, validator: IdentityValidator, writerMSPIDs: Set<String>, voters: [NodeID]? = nil
    ) throws(OrdererError) {
        try cutter.reconfigure(batchLimits)
        if let voters = voters?.sorted(), !voters.isEmpty, voters != configuredVoters {
            configuredVoters = voters
            requestProcessing()
        }
        broadcastChecks.withLockedValue { check in
            check.absoluteMaxBytes = batchLimits.absoluteMaxBytes
            check.validator = validator
            check.writerMSPIDs = writerMSPIDs
        }
        currentBatchLimits = batchLimits
    }

    /// Starts an election now (as if the election timeout had elapsed), e.g. to pick a leader quickly
    /// when a cluster starts.
    public func campaign() {
        guard !isStopped else { return }
        raft.campaign()
        stepped()
    }
}
