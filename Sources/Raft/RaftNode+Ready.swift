// Handing work to the driver: `hasReady`, `ready()` and `advance(_:)`.

extension RaftNode {
    /// Whether `ready()` would return a batch.
    public var hasReady: Bool {
        guard !readyOutstanding else { return false }
        return !outbox.isEmpty
            || currentHardState != reportedHardState
            || currentSoftState != reportedSoftState
            || log.pendingSnapshot != nil
            || log.stableIndex < log.lastIndex
            || log.hasEntriesToApply
    }

    /// The next batch of work (persist, send, apply), or nil when there is none or the previous batch was
    /// not advanced yet. See `Ready` for the order in which the driver must handle it.
    public mutating func ready() -> Ready? {
        guard hasReady else { return nil }
        let hardState = currentHardState
        let softState = currentSoftState
        let changedHardState = hardState != reportedHardState ? hardState : nil
        let termOrVoteChanged = hardState.term != reportedHardState.term || hardState.vote != reportedHardState.vote
        let ready = Ready(
            softState: softState != reportedSoftState ? softState : nil,
            hardState: changedHardState,
            entries: log.unstableEntries,
            snapshot: log.pendingSnapshot,
            messages: outbox,
            committedEntries: log.entriesToApply,
            mustSync: false)
        var result = ready
        result.mustSync = !ready.entries.isEmpty || ready.snapshot != nil || termOrVoteChanged
        outbox = []
        reportedHardState = hardState
        reportedSoftState = softState
        readyOutstanding = true
        return result
    }

    /// Acknowledges that the driver persisted, sent and applied `ready` (the last batch `ready()` returned).
    public mutating func advance(_ ready: Ready) {
        readyOutstanding = false
        if let snapshot = ready.snapshot {
            log.snapshotApplied(index: snapshot.index)
        }
        if let last = ready.entries.last {
            log.stable(to: last.index, term: last.term)
        }
        if let last = ready.committedEntries.last {
            log.applied(to: last.index)
        }
    }

    var currentHardState: HardState { HardState(term: term, vote: vote, commit: log.committed) }
    var currentSoftState: SoftState { SoftState(leader: leader, role: role) }
}
