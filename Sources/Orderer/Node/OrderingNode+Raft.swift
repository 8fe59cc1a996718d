import Raft
import WeftCore

// Driving Raft: inputs (messages, ticks), the processing loop (persist → send → apply → advance),
// leadership changes and log compaction.

extension OrderingNode {
    /// Handles a Raft message from another orderer (the transport calls this).
    public func receive(_ message: Message) {
        guard !isStopped else { return }
        raft.step(message)
        stepped()
    }

    /// Handles several Raft messages at once.
    public func receive(_ messages: [Message]) {
        guard !isStopped else { return }
        for message in messages { raft.step(message) }
        stepped()
    }

    /// Counts one Raft tick. `run()` calls it every `tickInterval` of the node's clock; a test that runs
    /// the node with `run(ticking: false)` calls it itself.
    public func tick() {
        guard !isStopped else { return }
        // A node the configuration removed campaigns no more (it still answers, and leads until its
        // leadership is handed over).
        guard isConfiguredVoter || raft.role == .leader else { return }
        raft.tick()
        stepped()
    }

    /// After any input: follow a change of leadership at once, then ask for processing.
    func stepped() {
        if raft.role == .leader {
            if pipeline == nil {
                pipeline = LeaderPipeline(maxInflightBlocks: configuration.maxInflightBlocks, startsAfter: raft.status.lastIndex)
            }
        } else if pipeline != nil {
            // Envelopes accepted but not yet proposed are dropped, never handed on: a proposed block of
            // the lost term may still commit under the next leader, so resubmitting could order one twice.
            pipeline = nil
            _ = cutter.cutPending()
            arrivals.reset()
        }
        // A node the configuration removed forwards nothing (the leader would refuse it).
        leaderHint.update(isStopped || (!isConfiguredVoter && raft.role != .leader) ? nil : raft.leader)
        requestProcessing()
    }

    /// One pass of the processing loop: handles every `Ready`, proposes the blocks the leader may, and
    /// compacts the log when due, until nothing is left. Inputs that arrive while it awaits the disk
    /// are picked up before it returns. A storage failure is fatal: the node stops rather than run on
    /// state it could not persist.
    func process() async {
        do {
            while !isStopped {
                if let ready = raft.ready() {
                    try await handle(ready)
                } else if proposeBlocks() || stepMembership() {
                    continue   // the proposals make the next Ready
                } else if isCompactionDue {
                    try await compact()
                } else {
                    break
                }
            }
        } catch {
            await fail(error)
        }
    }

    /// One `Ready`, in Raft's order: persist (fsync), send, apply, advance.
    private func handle(_ ready: Ready) async throws {
        // A snapshot this storage already holds (a restart restoring from its own snapshot) is not
        // written again: writing it would drop the stored entries that follow it.
        let newSnapshot = ready.snapshot.flatMap { $0.index > persistedSnapshotIndex ? $0 : nil }
        if ready.hardState != nil || !ready.entries.isEmpty || newSnapshot != nil {
            let storage = raftStorage
            try await disk.run {
                try storage.storage.save(hardState: ready.hardState, entries: ready.entries, snapshot: newSnapshot, sync: ready.mustSync)
            }
        }
        if let newSnapshot { persistedSnapshotIndex = newSnapshot.index }
        guard !isStopped else { return }
        if !ready.messages.isEmpty { transport.send(ready.messages) }
        if let snapshot = ready.snapshot { try await restore(from: snapshot) }
        try await apply(ready.committedEntries)
        raft.advance(ready)
    }

    /// Forms and proposes the blocks the leader may propose now. Returns whether it proposed any.
    func proposeBlocks() -> Bool {
        guard var pipeline, raft.role == .leader, catchUp == nil else { return false }
        if !pipeline.isStarted {
            guard raft.status.appliedIndex >= pipeline.startsAfter, appliesInFlight == 0 else { return false }
            pipeline.start(at: blockStore.appendedTip)
        }
        var proposed = false
        while let block = pipeline.nextBlock() {
            let index: UInt64
            do {
                index = try raft.propose(block.encodedBytes)
            } catch {
                break   // a leadership transfer is under way, or leadership was lost: the batch stays queued
            }
            pipeline.proposed(block, at: index, term: raft.term)
            configuration.observer.blockProposed?(block)
            proposed = true
        }
        self.pipeline = pipeline
        return proposed
    }

    /// Whether `snapshotIntervalBytes` of blocks were applied since the last snapshot, and the store
    /// reflects exactly Raft's applied index (no catch-up under way, no apply in flight).
    private var isCompactionDue: Bool {
        appliedBytesSinceSnapshot >= configuration.snapshotIntervalBytes && catchUp == nil && appliesInFlight == 0
            && raft.status.appliedIndex > persistedSnapshotIndex
    }

    /// Takes a snapshot (the chain tip) at the applied index and compacts the log.
    private func compact() async throws {
        let snapshot = try raft.compact(through: raft.status.appliedIndex, data: blockStore.appendedTip.canonicalBytes)
        let storage = raftStorage
        try await disk.run { try storage.storage.compact(to: snapshot) }
        persistedSnapshotIndex = max(persistedSnapshotIndex, snapshot.index)
        appliedBytesSinceSnapshot = 0
    }
}
