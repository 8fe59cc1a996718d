// The leader's side of log replication: appends, heartbeats and snapshots out; acknowledgements and
// rejections in; the commit index moved by quorum.

extension RaftNode {
    /// Appends the leader's own entries and commits them if the leader alone is a quorum.
    mutating func appendAsLeader(_ entries: [Entry]) {
        log.append(entries)
        // The leader counts itself as holding its entries at once: its acknowledgements and the entries it
        // commits only leave the node in a `Ready`, after the entries are persisted.
        _ = maybeCommit()
    }

    /// Sends every follower what it is missing.
    mutating func broadcastAppend() {
        for peer in peers { sendAppend(to: peer) }
    }

    mutating func broadcastHeartbeat() {
        for peer in peers {
            // Never let a follower commit beyond what it is known to match.
            let commit = min(progress[peer]?.match ?? 0, log.committed)
            send(.heartbeat(commit: commit), to: peer)
        }
    }

    /// Sends `peer` an append from its next index (or a snapshot when that was compacted away).
    /// Returns whether a message was sent; with `sendIfEmpty` false, an append without entries is not.
    @discardableResult
    mutating func sendAppend(to peer: NodeID, sendIfEmpty: Bool = true) -> Bool {
        guard var follower = progress[peer], !follower.isPaused else { return false }
        defer { progress[peer] = follower }
        let prevIndex = follower.next - 1
        guard let prevTerm = log.term(at: prevIndex),
              let entries = log.entries(from: follower.next, maxBytes: configuration.maxBytesPerAppend)
        else {
            guard let snapshot = log.snapshot else { return false }
            follower.becomeSnapshot(index: snapshot.index)
            send(.installSnapshot(snapshot), to: peer)
            return true
        }
        if entries.isEmpty, !sendIfEmpty { return false }
        send(.append(prevIndex: prevIndex, prevTerm: prevTerm, entries: entries, commit: log.committed), to: peer)
        follower.sentEntries(lastIndex: entries.last?.index)
        return true
    }

    mutating func handleAppendAccepted(from peer: NodeID, index: UInt64) {
        guard var follower = progress[peer], index <= log.lastIndex else { return }
        follower.recentActive = true
        let wasPaused = follower.isPaused
        if follower.maybeUpdate(index) {
            switch follower.state {
            case .probe:
                follower.becomeReplicate()
            case let .snapshot(pendingIndex):
                if follower.match >= pendingIndex { follower.becomeProbe() }
            case .replicate:
                follower.freeInflight(upTo: index)
            }
            progress[peer] = follower
            if maybeCommit() {
                broadcastAppend()
            } else if wasPaused {
                sendAppend(to: peer)
            }
            while sendAppend(to: peer, sendIfEmpty: false) {}
            if peer == leadTransferee, progress[peer]?.match == log.lastIndex {
                send(.timeoutNow, to: peer)
            }
        } else {
            progress[peer] = follower
        }
    }

    mutating func handleAppendRejected(from peer: NodeID, rejectedIndex: UInt64, hintIndex: UInt64, hintTerm: UInt64) {
        guard var follower = progress[peer] else { return }
        follower.recentActive = true
        // With the follower's hint, skip every entry of ours whose term is newer than the follower's
        // entry at the hint: they cannot match.
        var probeIndex = min(hintIndex, log.lastIndex)
        if hintTerm > 0 {
            probeIndex = log.findConflictByTerm(index: probeIndex, term: hintTerm).index
        }
        if follower.maybeDecrease(rejected: rejectedIndex, hint: probeIndex) {
            if follower.state == .replicate { follower.becomeProbe() }
            progress[peer] = follower
            sendAppend(to: peer)
        } else {
            progress[peer] = follower
        }
    }

    mutating func handleHeartbeatResponse(from peer: NodeID) {
        guard var follower = progress[peer] else { return }
        follower.recentActive = true
        follower.resumeProbe()
        if follower.state == .replicate, follower.isPaused { follower.freeOldestInflight() }
        progress[peer] = follower
        if follower.match < log.lastIndex { sendAppend(to: peer) }
    }

    /// Moves the commit index to the highest index a quorum holds, if that entry is of the current term.
    mutating func maybeCommit() -> Bool {
        var matches = peers.map { progress[$0]?.match ?? 0 }
        if isVoter { matches.append(log.lastIndex) }
        guard matches.count >= configuration.quorum else { return false }
        matches.sort(by: >)
        return log.maybeCommit(index: matches[configuration.quorum - 1], term: term)
    }
}
