import WeftCore
import WeftRPC
import Wire

/// Which orderer a gateway broadcasts to first: the Raft leader, once known. A follower would forward
/// the envelope to the leader, which checks it again (forwarded envelopes are not trusted), so going
/// to the leader directly saves a hop and a signature check per transaction. Learned from the
/// orderers' `ordererStatus` after the first broadcast and again whenever an orderer answers 503 or
/// cannot be reached; until then the profile's order is used.
actor OrdererPreference {
    private var leader: String?
    private var refreshing = false

    /// The orderers in the order to try: the known leader first.
    func ordered(_ orderers: [ConnectionProfile.Orderer]) -> [ConnectionProfile.Orderer] {
        guard let leader, let index = orderers.firstIndex(where: { $0.name == leader }) else { return orderers }
        var ordered = orderers
        ordered.insert(ordered.remove(at: index), at: 0)
        return ordered
    }

    /// Whether a leader is known.
    var knowsLeader: Bool { leader != nil }

    /// Forgets the leader (it stopped leading or is unreachable).
    func forget() { leader = nil }

    /// Asks the orderers who leads, one refresh at a time; `status` fetches one orderer's report.
    func refresh(
        _ orderers: [ConnectionProfile.Orderer],
        status: (ConnectionProfile.Orderer) async -> OrdererStatusReport?
    ) async {
        guard !refreshing else { return }
        refreshing = true
        defer { refreshing = false }
        var idsByName: [String: UInt64] = [:]
        var leaderID: UInt64?
        for orderer in orderers {
            guard let report = await status(orderer) else { continue }
            idsByName[orderer.name] = report.nodeID
            if report.isLeader { leader = orderer.name; return }
            if report.leader != 0 { leaderID = report.leader }
        }
        leader = leaderID.flatMap { id in idsByName.first { $0.value == id }?.key }
    }
}
