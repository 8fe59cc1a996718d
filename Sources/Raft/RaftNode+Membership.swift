import WeftCore

// Single-server membership changes (Raft thesis §4.1): a leader adds or removes one voter at a time with
// a `membership` entry; every node uses the newest membership entry in its log — committed or not — from
// the moment it appends it, and falls back to the previous one if that entry is truncated away. A
// change waits until the previous one is committed and until the leader has committed an entry of its
// own term. A leader that removed itself keeps replicating until the change commits, then steps down.

/// A membership entry in the log: its position and the voters it names.
struct MembershipChange: Hashable, Sendable {
    var index: UInt64
    var term: UInt64
    var voters: [NodeID]
}

extension RaftNode {
    /// The voters the log names now.
    var currentVoters: [NodeID] { membershipChanges.last?.voters ?? baseVoters }

    /// Whether this node is one of the voters.
    public var isVoter: Bool { configuration.voters.contains(id) }

    /// Proposes `voters` as the cluster's members: exactly one voter added to or removed from the
    /// current ones. Returns the index of the membership entry; the new members count from then on.
    @discardableResult
    public mutating func proposeMembership(_ voters: [NodeID]) throws(RaftError) -> UInt64 {
        guard role == .leader else { throw .notLeader(leader: leader) }
        if let pending = membershipChanges.last, pending.index > log.committed {
            throw .proposalRejected("the membership change at index \(pending.index) is not committed yet")
        }
        guard log.term(at: log.committed) == term else {
            throw .proposalRejected("this leader has not committed an entry of its term yet")
        }
        let proposed = Set(voters)
        guard proposed.count == voters.count, !proposed.contains(0), !proposed.isEmpty else {
            throw .proposalRejected("voters \(voters) must be distinct, non-zero and not empty")
        }
        let current = Set(configuration.voters)
        guard proposed.symmetricDifference(current).count == 1 else {
            throw .proposalRejected("voters \(voters.sorted()) differ from \(configuration.voters.sorted()) by more or less than one node")
        }
        let index = log.lastIndex + 1
        var writer = ByteWriter()
        writer.write(voters.sorted())
        membershipChanges.append(MembershipChange(index: index, term: term, voters: voters.sorted()))
        adoptVoters(voters.sorted())
        appendAsLeader([Entry(term: term, index: index, kind: .membership, data: writer.bytes)])
        broadcastAppend()
        return index
    }

    /// The voters as of log index `index` (what a snapshot through `index` records).
    func voters(at index: UInt64) -> [NodeID] {
        membershipChanges.last { $0.index <= index }?.voters ?? baseVoters
    }

    /// Brings the membership up to date with the log after entries were appended (or replaced): drops
    /// changes whose entries are gone, adds those among `appended`, and uses the newest.
    mutating func reconcileMembership(appended: [Entry]) {
        membershipChanges.removeAll { change in change.index > log.snapshotIndex && log.term(at: change.index) != change.term }
        for entry in appended where entry.kind == .membership && log.term(at: entry.index) == entry.term {
            guard !membershipChanges.contains(where: { $0.index == entry.index }) else { continue }
            var reader = ByteReader(entry.data)
            guard let voters = try? reader.readArray(of: UInt64.self, minimumElementSize: 8), !voters.isEmpty else { continue }
            membershipChanges.append(MembershipChange(index: entry.index, term: entry.term, voters: voters))
        }
        membershipChanges.sort { $0.index < $1.index }
        adoptVoters(currentVoters)
    }

    /// The log was replaced by a snapshot: its voters are the members.
    mutating func restoreMembership(from snapshot: Snapshot) {
        if !snapshot.metadata.voters.isEmpty { baseVoters = snapshot.metadata.voters }
        membershipChanges = []
        adoptVoters(currentVoters)
    }

    /// Uses `voters` from now on: the peers to talk to and, on a leader, a progress for each new one.
    mutating func adoptVoters(_ voters: [NodeID]) {
        configuration.voters = voters.sorted()
        peers = voters.filter { $0 != id }.sorted()
        guard role == .leader else { return }
        for peer in peers where progress[peer] == nil {
            progress[peer] = Progress(next: log.lastIndex + 1, maxInflight: configuration.maxInflightAppends)
        }
        for peer in progress.keys where !peers.contains(peer) { progress[peer] = nil }
    }

    /// A leader that is no longer a voter steps down once the change that removed it is committed.
    mutating func stepDownIfRemoved() {
        guard role == .leader, !isVoter, (membershipChanges.last?.index ?? 0) <= log.committed else { return }
        becomeFollower(term: term, leader: nil)
    }
}
