import Raft
import WeftCore

// Driving Raft: inputs (messages, ticks), the Ready loop (persist → send → apply → advance), leadership
// changes and log compaction.

extension OrderingNode {
    /// Handles a Raft message from another orderer (the transport calls this).
    public func receive(_ message: Message) {
        guard !isStopped else { return }
        raft.step(message)
        process()
    }

    /// Handles several Raft messages at once (one persist for all of them).
    public func receive(_ messages: [Message]) {
        guard !isStopped else { return }
        for message in messages { raft.step(message) }
        process()
    }

    /// Counts one Raft tick. `run()` calls it every `tickInterval` of the node's clock; a test that runs
    /// the node with `run(ticking: false)` calls it itself.
    public func tick() {
        guard !isStopped else { return }
        raft.tick()
        process()
    }

    /// Handles every `Ready` Raft has, forms and proposes the blocks the leader may, and compacts the
    /// log when due. Any storage failure is fatal: the node stops rather than run on a state it could
    /// not persist.
    func process() {
        guard !isStopped else { return }
        do {
            while true {
                if let ready = raft.ready() {
                    try handle(ready)
                } else if !proposeBlocks() {
                    break
                }
            }
            try compactIfDue()
        } catch {
            fail(error)
        }
    }

    /// One `Ready`, in Raft's order: persist (fsync), send, apply, advance.
    private func handle(_ ready: Ready) throws {
        // A snapshot this storage already holds (a restart restoring from its own snapshot) is not
        // written again: writing it would drop the stored entries that follow it.
        let newSnapshot = ready.snapshot.flatMap { $0.index > persistedSnapshotIndex ? $0 : nil }
        if ready.hardState != nil || !ready.entries.isEmpty || newSnapshot != nil {
            try raftStorage.save(hardState: ready.hardState, entries: ready.entries, snapshot: newSnapshot, sync: ready.mustSync)
        }
        if let newSnapshot { persistedSnapshotIndex = newSnapshot.index }
        if !ready.messages.isEmpty { transport.send(ready.messages) }
        if let softState = ready.softState { leadershipChanged(to: softState) }
        if let snapshot = ready.snapshot { try restore(from: snapshot) }
        try apply(ready.committedEntries)
        raft.advance(ready)
    }

    /// Starts block formation when this node becomes leader; drops what a deposed leader held.
    private func leadershipChanged(to softState: SoftState) {
        if softState.role == .leader {
            if pipeline == nil {
                pipeline = LeaderPipeline(maxInflightBlocks: configuration.maxInflightBlocks, startsAfter: raft.status.lastIndex)
            }
        } else if pipeline != nil {
            // Envelopes accepted but not yet proposed are dropped, never handed on: a proposed block of
            // this term may still commit under the next leader, so resubmitting could order one twice.
            pipeline = nil
            _ = cutter.cutPending()
        }
    }

    /// Forms and proposes the blocks the leader may propose now. Returns whether it proposed any.
    func proposeBlocks() -> Bool {
        guard var pipeline, raft.role == .leader, catchUp == nil else { return false }
        if !pipeline.isStarted {
            guard raft.status.appliedIndex >= pipeline.startsAfter else { return false }
            pipeline.start(at: blockStore.appendedTip)
        }
        var proposed = false
        while let block = pipeline.nextBlock() {
            let index: UInt64
            do {
                index = try raft.propose(block.canonicalBytes)
            } catch {
                break   // a leadership transfer is under way, or leadership was lost: the batch stays queued
            }
            pipeline.proposed(block, at: index, term: raft.term)
            proposed = true
        }
        self.pipeline = pipeline
        return proposed
    }

    /// Takes a snapshot (the chain tip) at the applied index and compacts the log, once
    /// `snapshotIntervalBytes` of blocks were applied since the last one.
    private func compactIfDue() throws {
        guard appliedBytesSinceSnapshot >= configuration.snapshotIntervalBytes, catchUp == nil else { return }
        let applied = raft.status.appliedIndex
        guard applied > persistedSnapshotIndex else { return }
        let tip = blockStore.appendedTip
        let snapshot = try raft.compact(through: applied, data: tip.canonicalBytes)
        try raftStorage.compact(to: snapshot)
        persistedSnapshotIndex = snapshot.index
        appliedBytesSinceSnapshot = 0
    }
}
