import Foundation
import Orderer
import Raft
import Testing
import WeftClient
import WeftCore
import WeftNode

/// Real orderer processes killed with SIGKILL while they order, again and again. After each kill the
/// dead orderer's files — a copy, so the restart starts from the untouched originals — must agree: the
/// block store is a linked chain whose every block is the block of its Raft log entry, it reflects no
/// entry the log does not hold, and it matches the Raft snapshot. Then `weft network up` restarts the
/// orderer, which must rejoin and reach the height the others had when it died. At the end every orderer
/// holds the same chain, and so does the peer.
///
/// The victim (the Raft leader or a follower), the moment (after 1–3 more blocks) and whether the
/// restarted orderer is killed again as soon as `weft network up` has restarted it
/// (a third of the rounds), are seeded choices; every wait is for a condition, not for the clock. Each
/// check prints where the kill landed (the store's Raft index against the log's end).
@Suite(.serialized, .timeLimit(.minutes(10))) struct OrdererCrashLoopTests {
    static let rounds = 8

    @Test(arguments: [UInt64(20_261_202)])
    func eightSIGKILLedOrderersRestartFromARaftLogAndBlockStoreThatAgree(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        try await LocalNetworkFixture.with(orderers: 3, orgs: 1, peers: 1) { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            let profile = try network.profile()
            let orderers = profile.orderers.map(\.name)
            let load = Self.startLoad(gateway)
            defer { load.cancel() }

            var killedLeaders = 0
            var killedWhileRecovering = 0
            for round in 0..<Self.rounds {
                let context = "seed \(seed), round \(round)"
                // Wait until the cluster has ordered 1–3 more blocks, then kill the leader or a follower.
                let before = await Self.highest(gateway, orderers)
                let more = 1 + random.next() % 3
                try await waitUntil("\(context): \(more) more blocks", timeout: .seconds(120)) {
                    await Self.highest(gateway, orderers) >= before + more
                }
                let leader = await Self.leaderName(gateway, orderers)
                let killLeader = random.next() % 2 == 0
                let victim = killLeader ? (leader ?? orderers[0]) : orderers.filter { $0 != leader }[Int(random.next() % 2)]
                if killLeader && leader != nil { killedLeaders += 1 }
                let pid = try #require(try network.pid(of: victim))
                kill(pid, SIGKILL)
                try await waitUntil("\(context): \(victim) (pid \(pid)) exits") { !Self.isRunning(pid) }

                // The files the restart starts from.
                let configuration = try Self.configuration(of: victim, in: network)
                try Self.checkAgreement(dataDir: configuration.dataDir + "/channels/mychannel", context: "\(context), \(victim)")
                let othersHeight = await Self.highest(gateway, orderers.filter { $0 != victim })

                let up = try await WeftProcess.run(["network", "up", "--dir", network.dir])
                #expect(up.status == 0, "\(context): network up: \(up.stderr)")
                if random.next() % 3 == 0 {
                    // Killed again as soon as `network up` has restarted it.
                    let again = try #require(try network.pid(of: victim))
                    kill(again, SIGKILL)
                    try await waitUntil("\(context): \(victim) (pid \(again)) exits again") { !Self.isRunning(again) }
                    try Self.checkAgreement(dataDir: configuration.dataDir + "/channels/mychannel", context: "\(context), \(victim) killed again after its restart")
                    killedWhileRecovering += 1
                    let upAgain = try await WeftProcess.run(["network", "up", "--dir", network.dir])
                    #expect(upAgain.status == 0, "\(context): network up: \(upAgain.stderr)")
                }
                try await waitUntil("\(context): \(victim) rejoins at height \(othersHeight)", timeout: .seconds(120)) {
                    guard let status = try? await gateway.ordererStatus(victim) else { return false }
                    return status.height >= othersHeight
                }
            }
            load.cancel()
            _ = await load.value
            print("OrdererCrashLoopTests: seed \(seed), \(Self.rounds) rounds: \(killedLeaders) leaders killed, "
                  + "\(killedWhileRecovering) orderers killed again right after their restart")

            // Everyone ends on the same chain: the orderers' block stores, read after a graceful stop, and
            // the peer's ledger.
            let final = try await Self.waitForEqualHeights(gateway, orderers)
            guard case .info(let peerInfo) = try await gateway.query(.info) else { throw GatewayError.protocolError("info") }
            let down = try await WeftProcess.run(["network", "down", "--dir", network.dir, "--grace-seconds", "10"])
            #expect(down.status == 0, "network down: \(down.stderr)")
            var chains: [[BlockHeader]] = []
            for name in orderers {
                let store = try BlockStore(directory: try Self.configuration(of: name, in: network).dataDir + "/channels/mychannel/blocks")
                defer { store.close() }
                chains.append(try (0..<store.height).map { try store.block($0).header })
            }
            #expect(chains.allSatisfy { $0 == chains[0] }, "the orderers' chains differ: heights \(chains.map(\.count))")
            #expect(UInt64(chains[0].count) >= final)
            #expect(peerInfo.height <= UInt64(chains[0].count))
            if peerInfo.height > 0 {
                #expect(peerInfo.currentBlockHash == chains[0][Int(peerInfo.height) - 1].hash, "the peer's chain is not the orderers'")
            }
        }
    }

    /// Checks an orderer's data folder (on a copy): the block store is a linked chain with matching
    /// data hashes; it reflects no Raft index beyond the log's end; every normal entry of the log that the
    /// store reflects is the stored block of its number; the store agrees with the snapshot's tip.
    static func checkAgreement(dataDir: String, context: String) throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("weft-orderer-copy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: dataDir), to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let store = try BlockStore(directory: copy.path + "/blocks")
        defer { store.close() }
        let persisted = try FileRaftStorage(directory: copy.path + "/raft").load()

        var previous = BlockHeader.genesisPreviousHash
        for number in 0..<store.height {
            let block = try store.block(number)
            #expect(block.number == number && block.header.previousHash == previous, "\(context): block \(number) does not link")
            #expect(Block.dataHash(of: block.data) == block.header.dataHash, "\(context): block \(number) data hash")
            previous = block.header.hash
        }
        #expect(store.lastRaftIndex <= persisted.lastIndex,
                "\(context): the store reflects Raft index \(store.lastRaftIndex), the log ends at \(persisted.lastIndex)")
        var checked = 0
        for entry in persisted.entries where entry.kind == .normal && entry.index <= store.lastRaftIndex {
            let block = try Block(canonicalBytes: entry.data)
            guard block.number < store.height else {
                Issue.record("\(context): entry \(entry.index) (block \(block.number)) is applied but the store holds \(store.height) blocks")
                continue
            }
            #expect(try store.block(block.number).header == block.header, "\(context): entry \(entry.index) is not stored block \(block.number)")
            checked += 1
        }
        if let snapshot = persisted.snapshot {
            let tip = try ChainTip(canonicalBytes: snapshot.data)
            if store.height >= tip.height, tip.height > 0 {
                #expect(try store.headerHash(of: tip.height - 1) == tip.lastHash, "\(context): the store differs from the snapshot's \(tip)")
            }
        }
        print("OrdererCrashLoopTests: \(context): store height \(store.height), Raft index \(store.lastRaftIndex) of \(persisted.lastIndex), \(checked) entries matched")
    }

    /// Eight clients submitting transactions until cancelled.
    static func startLoad(_ gateway: Gateway) -> Task<Void, Never> {
        Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var index = 0
                        while !Task.isCancelled {
                            index += 1
                            let arguments = ["k\(worker)-\(index)", "red", "1", "dave", "1"].map { Array($0.utf8) }
                            _ = try? await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                          arguments: arguments, timeout: .seconds(15))
                        }
                    }
                }
            }
        }
    }

    /// Each orderer's height, nil for one that does not answer.
    static func heights(_ gateway: Gateway, _ orderers: [String]) async -> [String: UInt64?] {
        var heights: [String: UInt64?] = [:]
        for name in orderers { heights[name] = try? await gateway.ordererStatus(name).height }
        return heights
    }

    /// The greatest height the orderers that answer report (0 when none does).
    static func highest(_ gateway: Gateway, _ orderers: [String]) async -> UInt64 {
        await heights(gateway, orderers).values.compactMap { $0 }.max() ?? 0
    }

    static func leaderName(_ gateway: Gateway, _ orderers: [String]) async -> String? {
        for name in orderers {
            if let status = try? await gateway.ordererStatus(name), status.isLeader { return name }
        }
        return nil
    }

    /// Waits until every orderer answers with the same height; returns it.
    static func waitForEqualHeights(_ gateway: Gateway, _ orderers: [String]) async throws -> UInt64 {
        var height: UInt64 = 0
        try await waitUntil("the orderers reach the same height", timeout: .seconds(120)) {
            let values = Set(await heights(gateway, orderers).values)
            guard values.count == 1, let only = values.first, let value = only else { return false }
            height = value
            return true
        }
        return height
    }

    static func configuration(of name: String, in network: LocalNetworkFixture) throws -> NodeConfiguration {
        let node = try #require(try network.state().nodes.first { $0.name == name })
        return try NodeConfiguration.load(path: network.folder.appendingPathComponent(node.config).path, environment: [:])
    }

    /// Whether `pid` runs (a zombie, which holds no files any more, does not).
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[close...].hasPrefix(") Z")
    }
}
