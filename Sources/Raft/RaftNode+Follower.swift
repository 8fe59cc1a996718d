// What a follower does with the leader's appends, heartbeats and snapshots. Every answer goes out in
// a `Ready` after the entries or snapshot it acknowledges are persisted.

extension RaftNode {
    mutating func handleAppend(from sender: NodeID, prevIndex: UInt64, prevTerm: UInt64, entries: [Entry], commit: UInt64) {
        if prevIndex < log.committed {
            // Everything up to the commit index already matches; tell the leader where we are.
            send(.appendAccepted(index: log.committed), to: sender)
            return
        }
        guard Self.entriesFollow(prevIndex: prevIndex, entries: entries, term: term) else { return }
        switch log.maybeAppend(prevIndex: prevIndex, prevTerm: prevTerm, commit: commit, entries: entries) {
        case let .appended(lastNewIndex):
            reconcileMembership(appended: entries)
            send(.appendAccepted(index: lastNewIndex), to: sender)
        case .mismatch:
            // Fast backtracking: point the leader at our last entry that might match its log, i.e. the last
            // one at or before `prevIndex` whose term is not newer than `prevTerm`.
            let hint = log.findConflictByTerm(index: min(prevIndex, log.lastIndex), term: prevTerm)
            send(.appendRejected(rejectedIndex: prevIndex, hintIndex: hint.index, hintTerm: hint.term), to: sender)
        case .conflictsWithCommitted:
            break
        }
    }

    mutating func handleHeartbeat(from sender: NodeID, commit: UInt64) {
        log.commit(to: commit)
        send(.heartbeatResponse, to: sender)
    }

    mutating func handleSnapshot(from sender: NodeID, snapshot: Snapshot) {
        if snapshot.index <= log.committed {
            send(.appendAccepted(index: log.committed), to: sender)
        } else if log.term(at: snapshot.index) == snapshot.term {
            // Our log already holds the snapshot's last entry: only the commit index moves.
            log.commit(to: snapshot.index)
            send(.appendAccepted(index: log.committed), to: sender)
        } else {
            log.restore(snapshot)
            restoreMembership(from: snapshot)
            send(.appendAccepted(index: log.lastIndex), to: sender)
        }
    }

    /// Whether the entries of an append are numbered `prevIndex + 1, prevIndex + 2, …` with terms that
    /// never decrease and never exceed the leader's term (anything else comes from a faulty sender).
    static func entriesFollow(prevIndex: UInt64, entries: [Entry], term: UInt64) -> Bool {
        var expected = prevIndex
        var previousTerm: UInt64 = 0
        for entry in entries {
            guard expected < UInt64.max else { return false }
            expected += 1
            guard entry.index == expected, entry.term >= previousTerm, entry.term <= term else { return false }
            previousTerm = entry.term
        }
        return true
    }
}
