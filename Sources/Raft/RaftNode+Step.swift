// The single entry point for messages: term checks first (Raft paper figure 2, "all servers"), then
// dispatch by message kind and role.

extension RaftNode {
    /// Handles a message from another node. Messages addressed elsewhere, from unknown nodes, from an
    /// older term, or that make no sense in this node's state are ignored (or answered so that a
    /// stale sender catches up); nothing a peer sends can make the node trap.
    public mutating func step(_ message: Message) {
        guard message.to == id, message.from != id, peers.contains(message.from), message.isPlausible else { return }
        if message.term > term {
            guard adoptNewerTerm(of: message) else { return }
        } else if message.term < term {
            answerOlderTerm(message)
            return
        }
        dispatch(message)
    }

    /// Moves to the message's newer term when it should; false when the message is to be ignored.
    private mutating func adoptNewerTerm(of message: Message) -> Bool {
        switch message.body {
        case let .requestVote(preVote, _, _, leaderTransfer):
            // Leader lease: a node that heard from its leader within the election timeout believes the
            // leader is alive and refuses to help elect another (this also blocks disruptive pre-votes),
            // unless the leader itself asked for the election.
            let inLease = configuration.checkQuorum && leader != nil && electionElapsed < configuration.electionTicks
                && !leaderTransfer
            if inLease { return false }
            if !preVote { becomeFollower(term: message.term, leader: nil) }
        case .voteResponse(preVote: true, granted: true):
            // A granted pre-vote carries the term the pre-candidate would campaign in; keep ours.
            break
        case .append, .heartbeat, .installSnapshot:
            becomeFollower(term: message.term, leader: message.from)
        default:
            becomeFollower(term: message.term, leader: nil)
        }
        return true
    }

    /// Answers a message from an older term so that its sender learns the newer term, where useful.
    private mutating func answerOlderTerm(_ message: Message) {
        switch message.body {
        case .append, .heartbeat:
            // A leader of an old term (cut off by a partition) learns of the newer term and steps down.
            // Without this, a node whose term rose while the leader was unreachable, and whose pre-votes
            // the lease keeps failing, could never rejoin.
            if configuration.checkQuorum || configuration.preVote {
                send(.heartbeatResponse, to: message.from)
            }
        case .requestVote(preVote: true, _, _, _):
            send(.voteResponse(preVote: true, granted: false), to: message.from)
        default:
            break
        }
    }

    private mutating func dispatch(_ message: Message) {
        switch message.body {
        case let .requestVote(preVote, lastIndex, lastTerm, _):
            handleVoteRequest(from: message.from, requestTerm: message.term, preVote: preVote,
                              lastIndex: lastIndex, lastTerm: lastTerm)
        case let .voteResponse(preVote, granted):
            handleVoteResponse(from: message.from, preVote: preVote, granted: granted)
        case let .append(prevIndex, prevTerm, entries, commit):
            guard followLeader(message.from) else { return }
            handleAppend(from: message.from, prevIndex: prevIndex, prevTerm: prevTerm, entries: entries, commit: commit)
        case let .heartbeat(commit):
            guard followLeader(message.from) else { return }
            handleHeartbeat(from: message.from, commit: commit)
        case let .installSnapshot(snapshot):
            guard followLeader(message.from) else { return }
            handleSnapshot(from: message.from, snapshot: snapshot)
        case let .appendAccepted(index):
            guard role == .leader else { return }
            handleAppendAccepted(from: message.from, index: index)
        case let .appendRejected(rejectedIndex, hintIndex, hintTerm):
            guard role == .leader else { return }
            handleAppendRejected(from: message.from, rejectedIndex: rejectedIndex, hintIndex: hintIndex, hintTerm: hintTerm)
        case .heartbeatResponse:
            guard role == .leader else { return }
            handleHeartbeatResponse(from: message.from)
        case .timeoutNow:
            // Only the leader of this term sends it; a node that is not following it ignores it.
            guard role == .follower, leader == message.from else { return }
            startCampaign(preVote: false, leaderTransfer: true)
        }
    }

    /// A message only the leader of this term sends arrived: follow its sender. False when this node is
    /// itself the leader of the term (two leaders in one term cannot happen; the message is ignored).
    private mutating func followLeader(_ sender: NodeID) -> Bool {
        switch role {
        case .leader:
            return false
        case .candidate, .preCandidate:
            becomeFollower(term: term, leader: sender)
        case .follower:
            leader = sender
        }
        electionElapsed = 0
        return true
    }
}

extension Message {
    /// Terms and indices beyond 2^62 are never reached by a real cluster (a million entries a second
    /// would take 146,000 years); a message carrying one is refused, so that no arithmetic on it can
    /// overflow.
    static let implausible: UInt64 = 1 << 62

    var isPlausible: Bool {
        let limit = Self.implausible
        guard term < limit else { return false }
        switch body {
        case let .requestVote(_, lastIndex, lastTerm, _):
            return lastIndex < limit && lastTerm < limit
        case .voteResponse, .heartbeatResponse, .timeoutNow:
            return true
        case let .append(prevIndex, prevTerm, entries, commit):
            return prevIndex < limit && prevTerm < limit && commit < limit
                && UInt64(entries.count) < limit - prevIndex
        case let .appendAccepted(index):
            return index < limit
        case let .appendRejected(rejectedIndex, hintIndex, hintTerm):
            return rejectedIndex < limit && hintIndex < limit && hintTerm < limit
        case let .heartbeat(commit):
            return commit < limit
        case let .installSnapshot(snapshot):
            return snapshot.index < limit && snapshot.term < limit
        }
    }
}
