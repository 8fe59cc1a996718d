import Raft

/// A cluster in one process whose network is a FIFO queue the test drains by hand, recording every
/// delivered message and every role change as one line of a transcript. Links can be cut (messages on
/// them are recorded with a leading "✗" and dropped).
struct TranscriptCluster {
    private(set) var nodes: [NodeID: RaftNode] = [:]
    private(set) var storages: [NodeID: MemoryRaftStorage] = [:]
    /// The entries each node's application applied, in order (snapshot restores replace them).
    private(set) var applied: [NodeID: [Entry]] = [:]
    private(set) var transcript: [String] = []
    private var queue: [Message] = []
    private var reportedTerms: [NodeID: UInt64] = [:]
    private var cutLinks: Set<[NodeID]> = []
    private(set) var ids: [NodeID]

    /// Creates nodes `ids`, each restarting from `states[id]` (empty by default).
    init(
        ids: [NodeID], states: [NodeID: PersistedState] = [:],
        configure: (inout RaftConfiguration) -> Void = { _ in }
    ) throws {
        self.ids = ids
        for id in ids {
            var configuration = RaftConfiguration(id: id, voters: ids)
            configure(&configuration)
            let storage = MemoryRaftStorage(states[id] ?? .empty)
            storages[id] = storage
            reportedTerms[id] = (states[id] ?? .empty).hardState.term
            nodes[id] = try RaftNode(configuration: configuration, restoring: storage.load(), random: SplitMix64(seed: id))
            applied[id] = []
        }
    }

    func node(_ id: NodeID) -> RaftNode { nodes[id]! }

    /// Starts a new, empty node `id` that knows `voters` as the cluster (to be added by a membership change).
    mutating func addNode(_ id: NodeID, voters: [NodeID]) throws {
        let storage = MemoryRaftStorage(.empty)
        storages[id] = storage
        reportedTerms[id] = 0
        nodes[id] = try RaftNode(configuration: RaftConfiguration(id: id, voters: voters), restoring: storage.load(), random: SplitMix64(seed: id))
        applied[id] = []
        ids.append(id)
    }

    @discardableResult
    mutating func proposeMembership(_ id: NodeID, _ voters: [NodeID]) throws -> UInt64 {
        let index = try nodes[id]!.proposeMembership(voters)
        process(id)
        return index
    }

    /// Crashes node `id` (dropping everything not persisted) and restarts it from its storage.
    mutating func restart(_ id: NodeID) throws {
        let configuration = nodes[id]!.configuration
        let applied = self.applied[id]!.last?.index
        nodes[id] = try RaftNode(
            configuration: configuration, restoring: storages[id]!.load(), applied: applied,
            random: SplitMix64(seed: id + 100))
        transcript.append("[\(id)] restarts")
    }
    func status(_ id: NodeID) -> RaftStatus { nodes[id]!.status }

    mutating func campaign(_ id: NodeID) {
        nodes[id]!.campaign()
        process(id)
    }

    mutating func tick(_ id: NodeID) {
        nodes[id]!.tick()
        process(id)
    }

    @discardableResult
    mutating func propose(_ id: NodeID, _ text: String) throws -> UInt64 {
        let index = try nodes[id]!.propose(Array(text.utf8))
        process(id)
        return index
    }

    mutating func transferLeadership(from id: NodeID, to target: NodeID) throws {
        try nodes[id]!.transferLeadership(to: target)
        process(id)
    }

    mutating func compact(_ id: NodeID) throws {
        let appliedIndex = nodes[id]!.status.appliedIndex
        let data = applied[id]!.flatMap { $0.data }
        let snapshot = try nodes[id]!.compact(through: appliedIndex, data: data)
        try storages[id]!.compact(to: snapshot)
        transcript.append("[\(id)] compacts through \(appliedIndex)")
    }

    /// Drops every message to and from `id` until `heal()`.
    mutating func isolate(_ id: NodeID) {
        for other in ids where other != id {
            cutLinks.insert([id, other])
            cutLinks.insert([other, id])
        }
    }

    /// Drops messages from `from` to `to` until `heal()`.
    mutating func cut(from: NodeID, to: NodeID) { cutLinks.insert([from, to]) }

    mutating func heal() { cutLinks = [] }

    /// Delivers queued messages in order (and the messages they cause) until the network is quiet.
    mutating func deliverAll() {
        while deliverNext() {}
    }

    /// Delivers the `count` oldest queued messages.
    mutating func deliver(_ count: Int) {
        for _ in 0..<count { deliverNext() }
    }

    /// Delivers the oldest queued message; false when none is queued.
    @discardableResult
    mutating func deliverNext() -> Bool {
        guard !queue.isEmpty else { return false }
        let message = queue.removeFirst()
        if cutLinks.contains([message.from, message.to]) {
            transcript.append("✗ \(message)")
            return true
        }
        transcript.append("\(message)")
        nodes[message.to]!.step(message)
        process(message.to)
        return true
    }

    /// Drops every queued message without recording it (they are lost in the network).
    mutating func dropQueued() { queue = [] }

    /// The terms of node `id`'s log from its first index on.
    func logTerms(_ id: NodeID) -> [UInt64] { nodes[id]!.entries(from: 1).map(\.term) }

    /// Returns the transcript recorded so far and starts a new one.
    mutating func takeTranscript() -> [String] {
        defer { transcript = [] }
        return transcript
    }

    /// Persists, sends and applies every `Ready` of node `id`.
    mutating func process(_ id: NodeID) {
        while let ready = nodes[id]!.ready() {
            do {
                try storages[id]!.save(ready)
            } catch {
                transcript.append("[\(id)] storage failed: \(error)")
            }
            let term = nodes[id]!.term
            if ready.softState != nil || term != reportedTerms[id] {
                let status = nodes[id]!.status
                let leader = status.role == .follower ? status.leader.map { " leader \($0)" } ?? "" : ""
                transcript.append("[\(id)] \(status.role) term \(term)\(leader)")
                reportedTerms[id] = term
            }
            queue.append(contentsOf: ready.messages)
            if let snapshot = ready.snapshot {
                transcript.append("[\(id)] restores \(snapshot)")
                applied[id] = []
            }
            applied[id]!.append(contentsOf: ready.committedEntries)
            nodes[id]!.advance(ready)
        }
    }
}
