import WeftCore

/// Which orderer a client — an SDK gateway or a peer's gateway — broadcasts to first: the Raft
/// leader, once known. A follower would forward the envelope to the leader, which checks it again
/// (forwarded envelopes are not trusted), so going to the leader directly saves a hop and a signature
/// check per transaction. Learned from the orderers' `ordererStatus` after the first broadcast and
/// again whenever an orderer answers 503 or cannot be reached; until then the configured order is used.
public actor OrdererPreference {
    private var leader: String?
    private var refreshing = false

    /// No leader known yet.
    public init() {}

    /// `orderers` in the order to try: the known leader first. `name` gives an orderer's name.
    public func ordered<Orderer>(_ orderers: [Orderer], name: (Orderer) -> String) -> [Orderer] {
        guard let leader, let index = orderers.firstIndex(where: { name($0) == leader }) else { return orderers }
        var ordered = orderers
        ordered.insert(ordered.remove(at: index), at: 0)
        return ordered
    }

    /// Whether a leader is known.
    public var knowsLeader: Bool { leader != nil }

    /// Forgets the leader (it stopped leading or is unreachable).
    public func forget() { leader = nil }

    /// Asks the orderers named `names` who leads, one refresh at a time; `status` fetches one
    /// orderer's report (nil when it cannot be reached).
    public func refresh(_ names: [String], status: (String) async -> OrdererStatusReport?) async {
        guard !refreshing else { return }
        refreshing = true
        defer { refreshing = false }
        var idsByName: [String: UInt64] = [:]
        var leaderID: UInt64?
        for name in names {
            guard let report = await status(name) else { continue }
            idsByName[name] = report.nodeID
            if report.isLeader { leader = name; return }
            if report.leader != 0 { leaderID = report.leader }
        }
        leader = leaderID.flatMap { id in idsByName.first { $0.value == id }?.key }
    }

    /// Refreshes in the background (forgetting the leader first when `forgetting`); a broadcast
    /// never waits for it.
    public nonisolated func learn(
        _ names: [String], forgetting: Bool, status: @escaping @Sendable (String) async -> OrdererStatusReport?
    ) {
        Task.detached {
            if forgetting { await self.forget() }
            await self.refresh(names, status: status)
        }
    }
}
