import Foundation
import Identity
import LocalOrdering
import Orderer
import PeerTestSupport
import Raft
import WeftCore
import WeftCrypto

/// Three (or more) ordering nodes in one process: real FileRaftStorage and BlockStore files in a
/// temporary directory, a `LocalOrderingNetwork`, and one `ManualClock` the test advances tick by tick.
/// Each node runs `run(ticking: false)`; `tick(_:)` advances the clock and ticks every live node.
final class TestCluster {
    static let tick = Duration.milliseconds(100)

    private(set) var ids: [NodeID]
    /// The voters each node starts with (all of `ids` unless `add(_:voters:)` said otherwise).
    private var startVoters: [NodeID: [NodeID]] = [:]
    let root: String
    let network = LocalOrderingNetwork()
    let clock = ManualClock()
    /// Whether the nodes run on the system clock and tick themselves (100 ms ticks) instead.
    let realTime: Bool
    let identities: TestNetwork
    let envelopes: EnvelopeFactory
    let limits: BatchLimits
    private let configure: (inout OrderingConfiguration) -> Void
    private var ordererIdentities: [NodeID: SigningIdentity] = [:]
    private(set) var nodes: [NodeID: OrderingNode] = [:]
    private var runs: [NodeID: Task<Void, any Error>] = [:]

    init(
        size: Int = 3, limits: BatchLimits = BatchLimits(maxEnvelopeCount: 10, batchTimeout: .milliseconds(500)),
        realTime: Bool = false, configure: @escaping (inout OrderingConfiguration) -> Void = { _ in }
    ) throws {
        self.realTime = realTime
        ids = (1...UInt64(size)).map { $0 }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("weft-orderer-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        identities = try TestNetwork()
        envelopes = EnvelopeFactory(network: identities)
        self.limits = limits
        self.configure = configure
        for id in ids {
            ordererIdentities[id] = try TestNetwork.identity(in: identities.orgs["OrdererOrg"]!, role: "orderer", name: "orderer\(id)")
        }
    }

    func configuration(for id: NodeID) -> OrderingConfiguration {
        var configuration = OrderingConfiguration(
            nodeID: id, voters: startVoters[id] ?? ids, channelID: EnvelopeFactory.channel, directory: "\(root)/orderer\(id)",
            signer: ordererIdentities[id]!, batchLimits: limits, validator: identities.validator,
            writerMSPIDs: ["Org1MSP", "Org2MSP"])
        configuration.randomSeed = id
        configure(&configuration)
        return configuration
    }

    /// Starts (or restarts, from its files) node `id`.
    func start(_ id: NodeID) throws {
        let clock: any OrderingClock = realTime ? SystemOrderingClock() : self.clock
        let node = try OrderingNode(configuration: configuration(for: id), transport: network.transport(for: id), clock: clock)
        nodes[id] = node
        network.attach(node)
        let ticking = realTime
        runs[id] = Task { try await node.run(ticking: ticking) }
    }

    /// Starts a new node `id` that knows `voters` as the cluster (itself included), as an orderer
    /// added by a configuration update starts.
    func add(_ id: NodeID, voters: [NodeID]) throws {
        ordererIdentities[id] = try TestNetwork.identity(in: identities.orgs["OrdererOrg"]!, role: "orderer", name: "orderer\(id)")
        ids.append(id)
        startVoters[id] = voters
        try start(id)
    }

    /// Tells every live node that the channel's consenters are now `voters`, as the configuration
    /// watch does when an update's block is written.
    func reconfigure(voters: [NodeID]) async throws {
        for id in liveIDs {
            try await nodes[id]!.reconfigure(batchLimits: limits, validator: identities.validator, writerMSPIDs: ["Org1MSP", "Org2MSP"], voters: voters)
        }
    }

    func startAll() throws {
        for id in ids { try start(id) }
    }

    /// Stops node `id` as a crash would look to the others: disconnected, its run loop ended, its
    /// directory released.
    func kill(_ id: NodeID) async {
        network.detach(id)
        runs[id]?.cancel()
        _ = await runs[id]?.result
        runs[id] = nil
        nodes[id] = nil
    }

    var liveIDs: [NodeID] { ids.filter { nodes[$0] != nil } }

    /// Advances the clock by `count` ticks, ticking every live node each time and giving messages (and
    /// the fsyncs they wait for) a few milliseconds of real time to flow. Nodes are ticked a moment
    /// apart, as real nodes' tickers are never in phase (ticking them in lock step would make two
    /// followers time out in the same instant — a split vote — far more often than real clocks do).
    /// Before the next tick, every message sent so far has been received, so a message in transit can
    /// no longer miss its tick. A message a node has not sent yet (its processing loop still waits for
    /// the CPU or the disk) still can: the node offers no way to wait until it is idle, so on a very
    /// loaded machine an extra election remains possible (seen once: OrderingClusterTests'
    /// theBatchTimeoutWaitsForTheClock, a deposed leader dropping its pending envelope).
    func tick(_ count: Int = 1) async {
        for _ in 0..<count {
            clock.advance(by: Self.tick)
            for id in liveIDs {
                await nodes[id]?.tick()
                try? await Task.sleep(for: .milliseconds(2))
            }
            network.releaseHeldBack()
            await waitForDelivery()
        }
    }

    /// Waits until no message batch is in flight and every live node has processed what it received
    /// (its answers are sent, or in flight and waited for in turn); gives up after a minute (a hang,
    /// reported by the condition the caller waits for). Without the second half, a vote a loaded
    /// machine processes after the tick would miss it and cost an election timeout.
    func waitForDelivery() async {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if network.messagesInFlight == 0, await liveNodesAreQuiescent(), network.messagesInFlight == 0 { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    private func liveNodesAreQuiescent() async -> Bool {
        for id in liveIDs {
            guard let node = nodes[id], await node.isQuiescent else { return false }
        }
        return true
    }

    /// Ticks until `condition` holds; throws after `maxTicks`.
    func tick(until description: String, maxTicks: Int = 400, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<maxTicks {
            if try await condition() { return }
            await tick()
        }
        if try await condition() { return }
        var states: [String] = []
        for id in liveIDs { states.append("\(await nodes[id]!.status())") }
        throw ClusterTimeout(description: "\(description) did not happen in \(maxTicks) ticks; " + states.joined(separator: "; "))
    }

    /// The live node every live node recognizes as leader, once its block formation can start.
    func leader() async -> NodeID? {
        var leaders: Set<NodeID?> = []
        for id in liveIDs { leaders.insert(await nodes[id]!.status().leader) }
        guard leaders.count == 1, let leader = leaders.first ?? nil, nodes[leader] != nil else { return nil }
        return await nodes[leader]!.status().role == .leader ? leader : nil
    }

    /// Ticks until a leader is elected; returns it and the number of ticks it took.
    @discardableResult
    func electLeader(maxTicks: Int = 200) async throws -> (leader: NodeID, ticks: Int) {
        var ticks = 0
        try await tick(until: "a leader election", maxTicks: maxTicks) {
            ticks += 1
            return await leader() != nil
        }
        return (await leader()!, ticks - 1)
    }

    /// Ticks until every live node holds at least `height` blocks.
    func waitForHeight(_ height: UInt64, maxTicks: Int = 400) async throws {
        try await tick(until: "every node reaching height \(height)", maxTicks: maxTicks) {
            liveIDs.allSatisfy { nodes[$0]!.blockStore.height >= height }
        }
    }

    /// Waits, without advancing the clock (so no batch timer can fire and no election can start), until
    /// every live node holds at least `height` blocks; throws after `seconds` of real time.
    func settle(height: UInt64, seconds: Double = 10) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if liveIDs.allSatisfy({ nodes[$0]!.blockStore.height >= height }) { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw ClusterTimeout(description: "the nodes did not reach height \(height) without ticks in \(seconds) s")
    }

    /// Every block node `id` stores.
    func chain(of id: NodeID) throws -> [Block] {
        let store = nodes[id]!.blockStore
        return try (0..<store.height).map { try store.block($0) }
    }

    func broadcast(_ envelope: [UInt8], to id: NodeID) async -> BroadcastResult {
        await nodes[id]!.broadcast(envelope)
    }

    /// Runs `body` on a started cluster made with these arguments, then shuts it down (also on failure).
    static func run(
        size: Int = 3, limits: BatchLimits = BatchLimits(maxEnvelopeCount: 10, batchTimeout: .milliseconds(500)),
        realTime: Bool = false, configure: @escaping (inout OrderingConfiguration) -> Void = { _ in },
        _ body: (TestCluster) async throws -> Void
    ) async throws {
        let cluster = try TestCluster(size: size, limits: limits, realTime: realTime, configure: configure)
        do {
            try cluster.startAll()
            try await body(cluster)
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    /// Stops every node and removes the files.
    func shutdown() async {
        for id in liveIDs { await kill(id) }
        await network.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }
}

struct ClusterTimeout: Error, CustomStringConvertible {
    let description: String
}
