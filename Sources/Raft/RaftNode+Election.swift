// Leader election: timeouts, pre-vote and vote campaigns, role changes, and answering vote requests.

extension RaftNode {
    /// Starts an election now, as if the election timeout had elapsed (with a pre-vote first when
    /// configured). A leader ignores it.
    public mutating func campaign() {
        guard role != .leader, isVoter else { return }
        startCampaign(preVote: configuration.preVote)
    }

    mutating func tickElection() {
        electionElapsed += 1
        if electionElapsed >= randomizedElectionTimeout {
            electionElapsed = 0
            campaign()
        }
    }

    mutating func tickLeader() {
        heartbeatElapsed += 1
        electionElapsed += 1
        stepDownIfRemoved()
        guard role == .leader else { return }
        if electionElapsed >= configuration.electionTicks {
            electionElapsed = 0
            if configuration.checkQuorum, !quorumRecentlyActive() {
                becomeFollower(term: term, leader: nil)
                return
            }
            // A transfer that did not finish within an election timeout is abandoned.
            leadTransferee = nil
        }
        for peer in peers {
            guard var follower = progress[peer] else { continue }
            if follower.tickSnapshotWait(limit: configuration.electionTicks) { follower.becomeProbe() }
            progress[peer] = follower
        }
        if heartbeatElapsed >= configuration.heartbeatTicks {
            heartbeatElapsed = 0
            broadcastHeartbeat()
        }
    }

    /// Whether a quorum (counting the leader) answered since the last check; clears the marks.
    private mutating func quorumRecentlyActive() -> Bool {
        var active = isVoter ? 1 : 0
        for peer in peers where progress[peer]?.recentActive == true {
            active += 1
            progress[peer]?.recentActive = false
        }
        return active >= configuration.quorum
    }

    mutating func startCampaign(preVote: Bool, leaderTransfer: Bool = false) {
        let campaignTerm: UInt64
        if preVote {
            becomePreCandidate()
            campaignTerm = term + 1
        } else {
            becomeCandidate()
            campaignTerm = term
        }
        if recordVote(from: id, granted: true) == .won {
            winCampaign(preVote: preVote)
            return
        }
        for peer in peers {
            send(.requestVote(preVote: preVote, lastIndex: log.lastIndex, lastTerm: log.lastTerm,
                              leaderTransfer: leaderTransfer),
                 to: peer, term: campaignTerm)
        }
    }

    enum CampaignResult { case pending, won, lost }

    mutating func recordVote(from voter: NodeID, granted: Bool) -> CampaignResult {
        if votes[voter] == nil { votes[voter] = granted }
        let granted = votes.values.filter { $0 }.count
        let rejected = votes.count - granted
        if granted >= configuration.quorum { return .won }
        if rejected >= configuration.quorum { return .lost }
        return .pending
    }

    /// A (pre-)candidate counts an answer to its campaign.
    mutating func handleVoteResponse(from voter: NodeID, preVote: Bool, granted: Bool) {
        guard (preVote && role == .preCandidate) || (!preVote && role == .candidate) else { return }
        switch recordVote(from: voter, granted: granted) {
        case .won: winCampaign(preVote: preVote)
        case .lost: becomeFollower(term: term, leader: nil)
        case .pending: break
        }
    }

    private mutating func winCampaign(preVote: Bool) {
        if preVote {
            startCampaign(preVote: false)
        } else {
            becomeLeader()
        }
    }

    /// Answers a vote or pre-vote request whose term is not older than ours (the caller checked).
    mutating func handleVoteRequest(from candidate: NodeID, requestTerm: UInt64, preVote: Bool,
                                    lastIndex: UInt64, lastTerm: UInt64) {
        let canVote = vote == candidate
            || (vote == nil && leader == nil)
            || (preVote && requestTerm > term)
        if canVote, log.isUpToDate(lastIndex: lastIndex, lastTerm: lastTerm) {
            send(.voteResponse(preVote: preVote, granted: true), to: candidate, term: requestTerm)
            if !preVote {
                electionElapsed = 0
                vote = candidate
            }
        } else {
            send(.voteResponse(preVote: preVote, granted: false), to: candidate)
        }
    }

    mutating func becomeFollower(term newTerm: UInt64, leader newLeader: NodeID?) {
        reset(term: newTerm)
        role = .follower
        leader = newLeader
    }

    private mutating func becomePreCandidate() {
        // A pre-candidate keeps its term and vote: it only asks whether it could win.
        votes = [:]
        leader = nil
        role = .preCandidate
    }

    private mutating func becomeCandidate() {
        reset(term: term + 1)
        vote = id
        role = .candidate
    }

    private mutating func becomeLeader() {
        reset(term: term)
        role = .leader
        leader = id
        let lastIndex = log.lastIndex
        for peer in peers {
            progress[peer] = Progress(next: lastIndex + 1, maxInflight: configuration.maxInflightAppends)
        }
        // The new leader's empty entry lets it commit what earlier terms left uncommitted (figure 8).
        appendAsLeader([Entry(term: term, index: lastIndex + 1, kind: .leaderNoop, data: [])])
        broadcastAppend()
    }

    /// Clears per-term state; a new term also clears the vote.
    private mutating func reset(term newTerm: UInt64) {
        if newTerm != term {
            term = newTerm
            vote = nil
        }
        leader = nil
        electionElapsed = 0
        heartbeatElapsed = 0
        resetRandomizedElectionTimeout()
        votes = [:]
        progress = [:]
        leadTransferee = nil
    }
}
