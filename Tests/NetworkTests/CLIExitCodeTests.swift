import Foundation
import Testing

/// docs/CLI.md's exit statuses, as a user meets them on a real network: 1 wrong usage (with what to
/// type), 2 a transaction ordered but invalid, 3 a node that cannot be reached or refuses the identity.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CLIExitCodeTests {
    @Test func exitStatusesOnARealNetwork() async throws {
        // A 2 s batch timeout: two submits started together land in one block, so the second transfer
        // of the same asset is an MVCC conflict, deterministically.
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2, batchTimeoutMilliseconds: 2_000) { network in
            let unknownFlag = try await WeftProcess.run(["tx", "submit", "--dir", network.dir, "--chaincodee", "asset-transfer"])
            #expect(unknownFlag.status == 1)
            #expect(unknownFlag.stderr.contains("--help") || unknownFlag.stderr.contains("Usage"), "\(unknownFlag.stderr)")

            let created = try await WeftProcess.run([
                "tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer", "--function", "CreateAsset",
                "--args", "contested", "red", "1", "alice", "10",
            ])
            #expect(created.status == 0, "\(created.stderr)")
            let transfers = try await withThrowingTaskGroup(of: WeftProcess.Outcome.self) { group in
                for owner in ["bob", "carol"] {
                    group.addTask {
                        try await WeftProcess.run([
                            "tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer", "--function", "TransferAsset",
                            "--args", "contested", owner,
                        ])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(transfers.map(\.status).sorted() == [0, 2], "\(transfers.map { ($0.status, $0.stderr) })")
            #expect(transfers.contains { $0.stderr.contains("MVCC_READ_CONFLICT") || $0.stdout.contains("MVCC_READ_CONFLICT") })

            // A stopped node: the profile's only orderer and peers point at a port nobody listens on.
            let profile = try String(contentsOf: network.folder.appendingPathComponent("profile.yaml"), encoding: .utf8)
            let dead = profile.replacing(/127\.0\.0\.1:\d+/) { _ in "127.0.0.1:9" }
            let deadProfile = network.folder.appendingPathComponent("dead-profile.yaml")
            try dead.write(to: deadProfile, atomically: true, encoding: .utf8)
            let identity = try #require(try network.profile().identity)
            let stopped = try await WeftProcess.run([
                "tx", "evaluate", "--profile", deadProfile.path, "--identity", identity,
                "--chaincode", "asset-transfer", "--function", "ReadAsset", "--args", "contested",
            ])
            #expect(stopped.status == 3, "\(stopped.stderr)")

            // An identity of another network: its TLS certificate is refused by the peer.
            let stranger = network.folder.appendingPathComponent("stranger")
            let generated = try await WeftProcess.run(["crypto", "generate", "--orgs", "2", "--out", stranger.path])
            #expect(generated.status == 0, "\(generated.stderr)")
            let refused = try await WeftProcess.run([
                "tx", "evaluate", "--dir", network.dir,
                "--identity", stranger.appendingPathComponent("peerOrganizations/org1/users/User1@org1").path,
                "--chaincode", "asset-transfer", "--function", "ReadAsset", "--args", "contested",
            ])
            #expect(refused.status == 3, "\(refused.stderr)")
            #expect(refused.stderr.contains("TLS"), "\(refused.stderr)")

            // The chaincode lifecycle's refusals: usage (1) before anything is sent; a client where an
            // administrator is needed, and a stale sequence, refused by the peer (4), nothing ordered.
            let definition = ["--name", "asset-transfer", "--chaincode-version", "2", "--policy", "'Org1.peer'"]
            let noSequence = try await WeftProcess.run(["chaincode", "approve", "--dir", network.dir, "--org", "Org1MSP"] + definition)
            #expect(noSequence.status == 1 && noSequence.stderr.contains("--sequence"), "\(noSequence.stderr)")
            let unknownOrg = try await WeftProcess.run(["chaincode", "approve", "--dir", network.dir, "--org", "Org9MSP", "--sequence", "2"] + definition)
            #expect(unknownOrg.status == 1 && unknownOrg.stderr.contains("no admin of Org9MSP"), "\(unknownOrg.stderr)")
            let both = try await WeftProcess.run(["chaincode", "approve", "--dir", network.dir, "--org", "Org1MSP", "--identity", identity, "--sequence", "2"] + definition)
            #expect(both.status == 1, "\(both.stderr)")
            let asClient = try await WeftProcess.run(["chaincode", "commit", "--dir", network.dir, "--sequence", "2"] + definition)
            #expect(asClient.status == 4 && asClient.stderr.contains("needs an administrator"), "\(asClient.stderr)")
            let stale = try await WeftProcess.run(["chaincode", "approve", "--dir", network.dir, "--org", "Org1MSP", "--sequence", "1"] + definition)
            #expect(stale.status == 4 && stale.stderr.contains("the next definition has sequence 2"), "\(stale.stderr)")
        }
    }
}
