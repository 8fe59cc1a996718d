import Foundation
import Identity
import Testing
import WeftClient
import WeftCore
import WeftNode
import WeftRPC
import Wire

/// Channels on real processes: two channels with different members on one network, a peer that joins
/// late and catches up, an orderer crash that both channels' Raft groups survive, and the refusals of
/// channel participation.
@Suite(.serialized) struct ChannelNetworkTests {
    /// The refusal a call on `ch2` gets from a node, as text.
    static func refusal(_ work: () async throws -> Void) async -> String {
        do {
            try await work()
            return "allowed"
        } catch {
            return "\(error)"
        }
    }

    @Test func twoChannelsWithDifferentMembersKeepOutsidersOut() async throws {
        try await LocalNetworkFixture.with(arguments: ["--channels", "2", "--channel-orgs", "ch2=Org1"]) { network in
            let ch1 = try network.gateway(channel: "ch1")
            let ch2 = try network.gateway(channel: "ch2")
            defer { Task { await ch1.close(); await ch2.close() } }
            let first = try await ch1.submitDirect(chaincode: "asset-transfer", function: "CreateAsset", arguments: ["a1", "blue", "5", "alice", "300"].map { Array($0.utf8) })
            let second = try await ch2.submitDirect(chaincode: "asset-transfer", function: "CreateAsset", arguments: ["b1", "red", "5", "bob", "100"].map { Array($0.utf8) })
            #expect(first.code == .valid && second.code == .valid)
            // The ledgers are separate: ch2 has no a1, ch1 no b1.
            let readA1OnCh2 = try? await ch2.evaluate(chaincode: "asset-transfer", function: "ReadAsset", arguments: [Array("a1".utf8)])
            #expect(readA1OnCh2.map { $0.status != 200 } ?? true)
            let readB1OnCh2 = try await ch2.evaluate(chaincode: "asset-transfer", function: "ReadAsset", arguments: [Array("b1".utf8)])
            #expect(readB1OnCh2.status == 200)

            // An Org2 client learns nothing of ch2 but that it was refused: queries, evaluate, events, deliver.
            let outsider = try network.gateway(channel: "ch2", identity: network.user("User1@org2", of: "org2"))
            defer { Task { await outsider.close() } }
            let notReader = "permission denied: Org2MSP client is not a reader of channel 'ch2'"
            #expect(await Self.refusal { _ = try await outsider.query(.info, peer: "peer0.org1") }.contains(notReader))
            #expect(await Self.refusal {
                _ = try await outsider.evaluate(chaincode: "asset-transfer", function: "ReadAsset", arguments: [Array("b1".utf8)], peer: "peer0.org1")
            }.contains(notReader))
            #expect(await Self.refusal { for try await _ in try await outsider.events(from: 0, peer: "peer0.org1") { break } }.contains(notReader))
            #expect(await Self.refusal { _ = try await outsider.ordererStatus("orderer0.orderer") }.contains(notReader))
            let writerRefusal = await Self.refusal {
                _ = try await outsider.submitDirect(chaincode: "asset-transfer", function: "CreateAsset", arguments: ["x", "red", "1", "eve", "1"].map { Array($0.utf8) })
            }
            #expect(writerRefusal.contains("is not a writer of channel 'ch2'") || writerRefusal.contains(notReader))
            // deliver, on a raw connection as the outsider.
            let profile = try network.profile()
            let orderer = try #require(profile.orderers.first)
            let userFolder = URL(fileURLWithPath: network.user("User1@org2", of: "org2"))
            let credentials = try RPCCredentials.load(certificateFile: userFolder.appendingPathComponent("tls/cert.pem").path,
                                                      keyFile: userFolder.appendingPathComponent("tls/key.pem").path)
            let organizations = try profile.organizations.map { try Organization.load(mspDirectory: URL(fileURLWithPath: $0)) }
            let endpoint = try #require(Endpoint(orderer.address))
            let client = try await RPCClient.connect(
                host: endpoint.host, port: endpoint.port, security: try RPCTransportSecurity(credentials: credentials),
                serverName: orderer.name, authorizeServer: try Membership(organizations: organizations).tlsAuthorizer(requiring: nil))
            let deliver = ChannelRequest(channel: "ch2", body: StreamStart(start: 0).canonicalBytes).canonicalBytes
            #expect(await Self.refusal { for try await _ in client.stream(.deliver, deliver) { break } }.contains(notReader))
            let unknown = ChannelRequest(channel: "nope", body: StreamStart(start: 0).canonicalBytes).canonicalBytes
            #expect(await Self.refusal { for try await _ in client.stream(.deliver, unknown) { break } }.contains("has not joined channel 'nope'"))
            await client.close()

            // Each node lists the channels of its organization (ch1 holds the first transaction `network up`
            // submits, then a1); the status checks each channel for forks.
            let list = try await WeftProcess.run(["channel", "list", "--dir", network.dir])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains("peer0.org1: ch1 (height 3, active), ch2 (height 2, active)"), "\(list.stdout)")
            #expect(list.stdout.contains("peer0.org2: ch1 (height 3, active)\n"), "\(list.stdout)")
            // Members read the channel's configuration from the chain; Org2 is refused.
            let config = try await WeftProcess.run(["channel", "config", "--dir", network.dir, "--channel", "ch2", "--json"])
            #expect(config.status == 0, "\(config.stderr)")
            let configuration = try JSONSerialization.jsonObject(with: Data(config.stdout.utf8)) as? [String: Any]
            #expect((configuration?["organizations"] as? [[String: Any]])?.compactMap { $0["mspID"] as? String } == ["OrdererMSP", "Org1MSP"])
            #expect((configuration?["consenters"] as? [[String: Any]])?.count == 3)
            let outsiderConfig = try await WeftProcess.run(["channel", "config", "--dir", network.dir, "--channel", "ch2",
                                                            "--identity", network.user("User1@org2", of: "org2")])
            #expect(outsiderConfig.status == 3 && outsiderConfig.stderr.contains(notReader), "\(outsiderConfig.stderr)")

            let status = try await WeftProcess.run(["network", "status", "--dir", network.dir, "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            let channels = try #require(report?["channels"] as? [[String: Any]])
            #expect(channels.map { $0["channel"] as? String } == ["ch1", "ch2"])
            #expect(channels.allSatisfy { $0["fork"] as? Bool == false })
            #expect((channels[1]["peers"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func aPeerJoinedLateCatchesUpToTheSameCommitHash() async throws {
        try await LocalNetworkFixture.with(peers: 2) { network in
            // A new channel of Org1 only: the orderers and peer0.org1 join it now, peer1.org1 later.
            let block = network.folder.appendingPathComponent("late.block").path
            let create = try await WeftProcess.run(["channel", "create", "--name", "late", "--orgs", "Org1", "--dir", network.dir, "--out", block])
            #expect(create.status == 0, "\(create.stderr)")
            for node in ["orderer0.orderer", "orderer1.orderer", "orderer2.orderer", "peer0.org1"] {
                let join = try await WeftProcess.run(["channel", "join", "--block", block, "--dir", network.dir, "--node", node])
                #expect(join.status == 0, "\(node): \(join.stderr)")
            }
            let again = try await WeftProcess.run(["channel", "join", "--block", block, "--dir", network.dir, "--node", "peer0.org1"])
            #expect(again.stderr.contains("this node has already joined channel 'late'"), "\(again.stderr)")
            // A peer of an organization outside block 0 may join (a configuration update may add it later); the
            // orderers deliver nothing to it until then, and it says so.
            let outsider = try await WeftProcess.run(["channel", "join", "--block", block, "--dir", network.dir, "--node", "peer0.org2"])
            #expect(outsider.status == 0 && outsider.stdout.contains("waiting for a configuration update that adds Org2MSP"), "\(outsider.stdout)\(outsider.stderr)")
            let outsiderLeaves = try await WeftProcess.run(["channel", "remove", "late", "--delete", "--dir", network.dir, "--node", "peer0.org2"])
            #expect(outsiderLeaves.status == 0, "\(outsiderLeaves.stderr)")

            // Another block 0 under the same name, and an admin of another organization: refused, nothing written.
            let other = network.folder.appendingPathComponent("late-other.block").path
            _ = try await WeftProcess.run(["channel", "create", "--name", "late", "--orgs", "Org1", "--batch-timeout-ms", "99", "--dir", network.dir, "--out", other])
            let mismatch = try await WeftProcess.run(["channel", "join", "--block", other, "--dir", network.dir, "--node", "peer0.org1"])
            #expect(mismatch.status != 0 && mismatch.stderr.contains("the block given has hash"), "\(mismatch.stderr)")
            let org1Admin = network.folder.appendingPathComponent("crypto/peerOrganizations/org1/users/Admin@org1").path
            let foreignAdmin = try await WeftProcess.run(["channel", "list", "--dir", network.dir, "--identity", org1Admin, "--node", "orderer0.orderer"])
            #expect(foreignAdmin.status != 0 && foreignAdmin.stderr.contains("only an admin of OrdererMSP may administer"), "\(foreignAdmin.stderr)")

            var profile = try network.profile()
            profile.channel = "late"
            profile.channelOrganizations = ["late": ["Org1MSP"]]
            let gateway = try Gateway(profile: profile, identityFolder: profile.identity ?? "")
            defer { Task { await gateway.close() } }
            for index in 0..<20 {
                let result = try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                      arguments: ["late\(index)", "red", "1", "bob", "1"].map { Array($0.utf8) })
                #expect(result.code == .valid)
            }
            let join = try await WeftProcess.run(["channel", "join", "--block", block, "--dir", network.dir, "--node", "peer1.org1"])
            #expect(join.status == 0, "\(join.stderr)")
            guard case .info(let leader) = try await gateway.query(.info, peer: "peer0.org1") else { throw GatewayError.protocolError("info") }
            try await waitUntil("peer1.org1 caught up on 'late'") {
                guard case .info(let info)? = try? await gateway.query(.info, peer: "peer1.org1") else { return false }
                return info.height >= leader.height
            }
            guard case .info(let late) = try await gateway.query(.info, peer: "peer1.org1"), case .info(let early) = try await gateway.query(.info, peer: "peer0.org1") else {
                throw GatewayError.protocolError("info")
            }
            #expect(late.height == early.height && late.commitHash == early.commitHash && late.currentBlockHash == early.currentBlockHash)

            // Leaving keeps the ledger file; the node no longer serves the channel.
            let remove = try await WeftProcess.run(["channel", "remove", "late", "--dir", network.dir, "--node", "peer1.org1"])
            #expect(remove.status == 0 && !remove.stdout.contains("late ("), "\(remove.stdout)\(remove.stderr)")
            #expect(FileManager.default.fileExists(atPath: network.folder.appendingPathComponent("nodes/peer1.org1/data/late.sqlite").path))
            let garbage = network.folder.appendingPathComponent("garbage.block")
            try Data([1, 2, 3]).write(to: garbage)
            let refused = try await WeftProcess.run(["channel", "join", "--block", garbage.path, "--dir", network.dir, "--node", "peer1.org1"])
            #expect(refused.status != 0 && refused.stderr.contains("not a genesis block"), "\(refused.stderr)")

            // Leave with --delete, then join by a snapshot of peer0.org1's ledger: only the blocks after it are pulled.
            let rejoin = try await WeftProcess.run(["channel", "join", "--block", block, "--dir", network.dir, "--node", "peer1.org1"])
            #expect(rejoin.status == 0, "\(rejoin.stderr)")
            let delete = try await WeftProcess.run(["channel", "remove", "late", "--delete", "--dir", network.dir, "--node", "peer1.org1"])
            #expect(delete.status == 0, "\(delete.stderr)")
            #expect(!FileManager.default.fileExists(atPath: network.folder.appendingPathComponent("nodes/peer1.org1/data/late.sqlite").path))
            let snapshotFolder = network.folder.appendingPathComponent("late-snap").path
            let snapshot = try await WeftProcess.run(["ledger", "snapshot", "--file", network.folder.appendingPathComponent("nodes/peer0.org1/data/late.sqlite").path,
                                                      "--at", "10", "--out", snapshotFolder])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            let bySnapshot = try await WeftProcess.run(["channel", "join", "--block", block, "--dir", network.dir, "--node", "peer1.org1", "--snapshot", snapshotFolder])
            #expect(bySnapshot.status == 0 && bySnapshot.stderr.contains("restored at height 10"), "\(bySnapshot.stderr)")
            try await waitUntil("peer1.org1 caught up on 'late' from its snapshot") {
                guard case .info(let info)? = try? await gateway.query(.info, peer: "peer1.org1") else { return false }
                return info.height >= leader.height
            }
            guard case .info(let restored) = try await gateway.query(.info, peer: "peer1.org1") else { throw GatewayError.protocolError("info") }
            #expect(restored.commitHash == early.commitHash && restored.currentBlockHash == early.currentBlockHash)
            let beforeSnapshot = try? await gateway.query(.block(3), peer: "peer1.org1")
            if case .block(let old?)? = beforeSnapshot { Issue.record("block 3 is on a peer joined at height 10: \(old.number)") }
        }
    }

    @Test func anOrdererCrashIsSurvivedByEveryChannelsRaftGroup() async throws {
        try await LocalNetworkFixture.with(arguments: ["--channels", "2"]) { network in
            let gateways = try ["ch1", "ch2"].map { try network.gateway(channel: $0) }
            defer { Task { for gateway in gateways { await gateway.close() } } }
            kill(try #require(try network.pid(of: "orderer0.orderer")), SIGKILL)
            for (index, gateway) in gateways.enumerated() {
                let result = try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                      arguments: ["c\(index)", "red", "1", "bob", "1"].map { Array($0.utf8) })
                #expect(result.code == .valid)
            }
            let up = try await WeftProcess.run(["network", "up", "--dir", network.dir])
            #expect(up.status == 0, "\(up.stderr)")
            for gateway in gateways {
                guard case .info(let peer) = try await gateway.query(.info) else { throw GatewayError.protocolError("info") }
                try await waitUntil("orderer0 caught up on \(gateway.profile.channel)") {
                    (try? await gateway.ordererStatus("orderer0.orderer"))?.height ?? 0 >= peer.height
                }
            }
        }
    }
}
