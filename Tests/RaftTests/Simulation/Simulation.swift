import Raft

/// One seeded run of a cluster in one process with a fake clock: a chaos phase with message loss,
/// duplication, reordering, partitions and crash-restarts (from the persisted state), then a calm phase
/// in which a leader must emerge and a proposal must commit on every node within a bound.
/// Safety is checked after every step.
struct Simulation {
    struct Options {
        var chaosTicks = 250
        var livenessTicks = 300
        var electionTicks = 10
        var heartbeatTicks = 2
        /// When set, each node keeps its state in a `FileRaftStorage` under this directory, and a crash
        /// reopens the directory (a real restart); otherwise in a `MemoryRaftStorage`.
        var storageDirectory: String?
        /// When set (and `storageDirectory` is not), each node keeps its state in a
        /// `PowerLossRaftStorage`: a crash loses what was written without an fsync, may tear a `save`
        /// part-way, and every tick checks that each committed entry is durable on a quorum.
        var losesUnsyncedWrites = false
    }

    struct Node {
        var raft: RaftNode?
        var storage: any RaftStorage
        var application = SimulatedApplication()
        var restartAt = 0
        var restarts = 0
    }

    let seed: UInt64
    let options: Options
    let ids: [NodeID]
    private var random: SplitMix64
    private var network = SimulatedNetwork()
    private var nodes: [NodeID: Node] = [:]
    private var checker = SafetyChecker()
    private var now = 0
    private var proposals = 0
    private let compactEvery: UInt64
    private let maxBytesPerAppend: Int
    private var crashRate: Double
    private let partitionRate: Double
    private(set) var statistics = Statistics()

    /// What a run exercised, to show that the faults and features really happened.
    struct Statistics: CustomStringConvertible {
        var readies = 0
        var crashes = 0
        var partitions = 0
        var snapshotsInstalled = 0
        var compactions = 0
        var proposals = 0
        var transfers = 0
        var committed: UInt64 = 0
        var highestTerm: UInt64 = 0
        var tornSaves = 0
        var lostWrites = 0

        var description: String {
            "readies \(readies), crashes \(crashes), partitions \(partitions), compactions \(compactions), "
                + "snapshots installed \(snapshotsInstalled), transfers \(transfers), proposals \(proposals), "
                + "committed \(committed), "
                + "highest term \(highestTerm), torn saves \(tornSaves), unsynced writes lost \(lostWrites)"
        }
    }

    init(seed: UInt64, nodeCount: Int, options: Options = Options()) throws {
        self.seed = seed
        self.options = options
        ids = (1...UInt64(nodeCount)).map { $0 }
        random = SplitMix64(seed: seed)
        network.lossRate = Double.random(in: 0...0.3, using: &random)
        network.duplicationRate = Double.random(in: 0...0.1, using: &random)
        network.maxDelay = Int.random(in: 1...5, using: &random)
        compactEvery = UInt64.random(in: 5...40, using: &random)
        crashRate = Double.random(in: 0.002...0.03, using: &random)
        partitionRate = Double.random(in: 0.005...0.08, using: &random)
        maxBytesPerAppend = Bool.random(using: &random) ? 1 : 100
        for id in ids {
            nodes[id] = Node(storage: try Self.openStorage(id, options))
            try start(id)
        }
    }

    /// Runs both phases; throws the first broken property.
    mutating func run() throws {
        for _ in 0..<options.chaosTicks {
            try chaos()
            try step()
            if Double.random(in: 0..<1, using: &random) < 0.3 { try proposeToLeader() }
            if Double.random(in: 0..<1, using: &random) < 0.01 { try transferLeadership() }
        }
        try heal()
        try checkLiveness()
    }

    // MARK: Phases

    private mutating func chaos() throws {
        for id in ids where nodes[id]!.raft == nil && nodes[id]!.restartAt <= now { try start(id) }
        if Double.random(in: 0..<1, using: &random) < crashRate {
            let id = ids.randomElement(using: &random)!
            if nodes[id]!.raft != nil { crash(id, downFor: Int.random(in: 5...60, using: &random)) }
        }
        if Double.random(in: 0..<1, using: &random) < partitionRate {
            if network.isolatedGroup.isEmpty {
                // Often cut the leader off with a minority, so that terms and divergent logs pile up.
                let size = Int.random(in: 1...(ids.count / 2), using: &random)
                var group = Array(ids.shuffled(using: &random).prefix(size))
                if let leader = currentLeader(), !group.contains(leader), Bool.random(using: &random) {
                    group[0] = leader
                }
                network.isolatedGroup = Set(group)
                statistics.partitions += 1
            } else {
                network.isolatedGroup = []
            }
        }
    }

    private mutating func heal() throws {
        network.isolatedGroup = []
        crashRate = 0
        network.lossRate = 0
        network.duplicationRate = 0
        for id in ids where nodes[id]!.raft == nil { try start(id) }
    }

    private mutating func checkLiveness() throws {
        let marker = Array("marker-\(seed)".utf8)
        var markerIndex: UInt64?
        var lastAttempt = -1_000
        for tick in 0..<options.livenessTicks {
            try step()
            let committedMarker = markerIndex.flatMap { checker.committedEntry(at: $0) }?.data == marker
            if !committedMarker, tick - lastAttempt >= 3 * options.electionTicks, let leader = currentLeader(),
               nodes[leader]!.raft!.transferTarget == nil {
                // Proposals may be lost with a leader that loses its term: retry, as a client would.
                markerIndex = try nodes[leader]!.raft!.propose(marker)
                lastAttempt = tick
                try process(leader)
            }
            if committedMarker, ids.allSatisfy({ nodes[$0]!.application.appliedIndex >= markerIndex! }) {
                statistics.committed = checker.highestCommitted
                statistics.highestTerm = ids.map { nodes[$0]!.raft!.term }.max() ?? 0
                return try checkConvergence()
            }
        }
        let states = ids.map { nodes[$0]!.raft!.status.description }.joined(separator: "; ")
        throw SimulationFailure("no progress \(options.livenessTicks) ticks after the faults stopped: \(states)")
    }

    private func checkConvergence() throws {
        let reference = nodes[ids[0]]!.application.history
        for id in ids.dropFirst() {
            let history = nodes[id]!.application.history
            let common = min(history.count, reference.count)
            guard Array(history.prefix(common)) == Array(reference.prefix(common)) else {
                throw SimulationFailure("nodes \(ids[0]) and \(id) applied different histories")
            }
        }
        // Every node's log, through its commit index, holds exactly the committed entries.
        for id in ids {
            let raft = nodes[id]!.raft!
            for entry in raft.entries(from: raft.status.snapshotIndex + 1) where entry.index <= raft.status.commitIndex {
                guard let known = checker.committedEntry(at: entry.index) else { continue }
                guard known == entry else {
                    throw SimulationFailure("node \(id) holds \(entry) at \(entry.index), but \(known) was committed there")
                }
            }
        }
    }

    // MARK: Steps

    /// One tick: every running node ticks, then the messages due are delivered.
    private mutating func step() throws {
        now += 1
        for id in ids where nodes[id]!.raft != nil {
            nodes[id]!.raft!.tick()
            try process(id)
        }
        for message in network.takeDue(now: now) where nodes[message.to]!.raft != nil {
            guard network.canReach(message.from, message.to) else { continue }
            nodes[message.to]!.raft!.step(message)
            try process(message.to)
        }
        for id in ids { if let raft = nodes[id]!.raft { try checker.checkCommittedPrefix(of: raft) } }
        if options.losesUnsyncedWrites {
            try checker.checkDurableOnQuorum(ids.map { nodes[$0]!.storage as! PowerLossRaftStorage })
        }
    }

    private mutating func proposeToLeader() throws {
        // Any node that believes it leads takes proposals, stale leaders cut off by a partition
        // included: their uncommitted entries are what later leaders must overwrite.
        guard let leader = ids.filter({ nodes[$0]!.raft?.role == .leader }).randomElement(using: &random) else { return }
        let count = Int.random(in: 1...3, using: &random)
        let batch = (0..<count).map { _ -> [UInt8] in
            proposals += 1
            return Array("s\(seed)-p\(proposals)".utf8)
        }
        // While a leadership transfer is under way, the leader refuses proposals.
        guard nodes[leader]!.raft!.transferTarget == nil else { return }
        try nodes[leader]!.raft!.propose(batch: batch)
        statistics.proposals += count
        try process(leader)
    }

    private mutating func transferLeadership() throws {
        guard let leader = currentLeader() else { return }
        let target = ids.filter { $0 != leader }.randomElement(using: &random)!
        try nodes[leader]!.raft!.transferLeadership(to: target)
        statistics.transfers += 1
        try process(leader)
    }

    private func currentLeader() -> NodeID? {
        ids.filter { nodes[$0]!.raft?.role == .leader }.max { nodes[$0]!.raft!.term < nodes[$1]!.raft!.term }
    }

    /// Persists, sends and applies every `Ready` of `id` (it may crash part-way), checking safety.
    private mutating func process(_ id: NodeID) throws {
        while let ready = nodes[id]!.raft?.ready() {
            statistics.readies += 1
            if let disk = nodes[id]!.storage as? PowerLossRaftStorage, crashesNow() {
                // The power fails while the `Ready` is being written: none, some or all of it lands.
                try disk.save(hardState: ready.hardState, entries: ready.entries, snapshot: ready.snapshot, sync: false)
                statistics.tornSaves += 1
                return crash(id, downFor: Int.random(in: 1...20, using: &random))
            }
            try nodes[id]!.storage.save(ready)
            if crashesNow() { return crash(id, downFor: Int.random(in: 1...20, using: &random)) }
            for message in ready.messages { network.send(message, now: now, random: &random) }
            if crashesNow() { return crash(id, downFor: Int.random(in: 1...20, using: &random)) }
            if let disk = nodes[id]!.storage as? PowerLossRaftStorage, !disk.cached.isEmpty, crashRate > 0,
               Double.random(in: 0..<1, using: &random) < 0.2 {
                // The worst moment for a volatile cache: the node acted on writes it did not fsync.
                return crash(id, downFor: Int.random(in: 1...20, using: &random))
            }
            let term = nodes[id]!.raft!.term
            if let snapshot = ready.snapshot {
                statistics.snapshotsInstalled += 1
                try nodes[id]!.application.restore(from: snapshot)
                for entry in nodes[id]!.application.history { try checker.recordApplied(entry, by: id, inTerm: term) }
            }
            for entry in ready.committedEntries {
                try nodes[id]!.application.apply(entry)
                try checker.recordApplied(entry, by: id, inTerm: term)
            }
            nodes[id]!.raft!.advance(ready)
            try compactIfDue(id)
            try checker.check(nodes[id]!.raft!)
        }
        if let raft = nodes[id]!.raft { try checker.check(raft) }
    }

    private mutating func compactIfDue(_ id: NodeID) throws {
        let status = nodes[id]!.raft!.status
        guard status.appliedIndex >= status.snapshotIndex + compactEvery else { return }
        let data = nodes[id]!.application.snapshotData()
        let snapshot = try nodes[id]!.raft!.compact(through: status.appliedIndex, data: data)
        try nodes[id]!.storage.compact(to: snapshot)
        statistics.compactions += 1
    }

    private mutating func crashesNow() -> Bool {
        Double.random(in: 0..<1, using: &random) < crashRate / 4
    }

    private mutating func crash(_ id: NodeID, downFor ticks: Int) {
        statistics.crashes += 1
        nodes[id]!.raft = nil
        if let disk = nodes[id]!.storage as? PowerLossRaftStorage {
            let lostBefore = disk.lostWrites
            disk.powerLoss(keeping: Int.random(in: 0...disk.cached.count, using: &random))
            statistics.lostWrites += disk.lostWrites - lostBefore
        }
        nodes[id]!.restartAt = now + ticks
    }

    private static func openStorage(_ id: NodeID, _ options: Options) throws -> any RaftStorage {
        guard let directory = options.storageDirectory else {
            return options.losesUnsyncedWrites ? PowerLossRaftStorage() : MemoryRaftStorage()
        }
        return try FileRaftStorage(directory: directory + "/node\(id)")
    }

    private mutating func start(_ id: NodeID) throws {
        var node = nodes[id]!
        if node.raft == nil, options.storageDirectory != nil, node.restarts > 0 {
            node.storage = try Self.openStorage(id, options)
        }
        let configuration = RaftConfiguration(
            id: id, voters: ids, electionTicks: options.electionTicks, heartbeatTicks: options.heartbeatTicks,
            maxBytesPerAppend: maxBytesPerAppend, maxInflightAppends: 4)
        let state = try node.storage.load()
        node.restarts += 1
        node.raft = try RaftNode(
            configuration: configuration, restoring: state, applied: node.application.appliedIndex,
            random: SplitMix64(seed: seed &* 1_000_003 &+ id &* 7919 &+ UInt64(node.restarts)))
        nodes[id] = node
        try process(id)
    }
}
