import Foundation
import Testing

/// `weft ledger snapshot`, `backup`, `export`, `prune` and `verify` on the ledger files of running
/// peers: both peers of a channel write the same snapshot hash for the same height, the backup of a
/// live ledger verifies, a live peer pruned by the command keeps committing and says what was pruned,
/// and bad arguments get exit status 1 with what to type.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LedgerLifecycleCLITests {
    private struct Manifest: Decodable {
        var height: UInt64
        var snapshotHash: String
        var commitHash: String
    }

    private struct Status: Decodable {
        struct Peer: Decodable { var height: UInt64? }
        var peers: [Peer]
    }

    /// Whether every peer reports at least `height` blocks within 60 s.
    private func waitForPeers(_ network: LocalNetworkFixture, height: UInt64) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let status = try await WeftProcess.run(["network", "status", "--dir", network.dir, "--json"])
            if let parsed = try? JSONDecoder().decode(Status.self, from: Data(status.stdout.utf8)),
               !parsed.peers.isEmpty, parsed.peers.allSatisfy({ ($0.height ?? 0) >= height }) {
                return true
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    @Test func snapshotsOfTwoLivePeersAgreeAndABackupVerifies() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2) { network in
            for index in 0..<4 {
                let submitted = try await WeftProcess.run([
                    "tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer", "--function", "CreateAsset",
                    "--args", "snap\(index)", "blue", "5", "alice", "300",
                ])
                #expect(submitted.status == 0, "\(submitted.stderr)")
            }
            let ledgers = ["peer0.org1", "peer0.org2"].map {
                network.folder.appendingPathComponent("nodes/\($0)/data/mychannel.sqlite").path
            }
            // The peers keep running; a height both have reached makes the snapshots comparable.
            #expect(try await waitForPeers(network, height: 5))
            var manifests: [Manifest] = []
            for (index, ledger) in ledgers.enumerated() {
                let out = network.folder.appendingPathComponent("snap-\(index)").path
                let snapshot = try await WeftProcess.run(["ledger", "snapshot", "--file", ledger, "--at", "4", "--out", out, "--json"])
                #expect(snapshot.status == 0, "\(snapshot.stderr)")
                manifests.append(try JSONDecoder().decode(Manifest.self, from: Data(snapshot.stdout.utf8)))
                let verified = try await WeftProcess.run(["ledger", "verify", out])
                #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
                #expect(verified.stdout.contains("consistent snapshot of mychannel at height 4"), "\(verified.stdout)")
            }
            #expect(manifests.count == 2 && manifests[0].snapshotHash == manifests[1].snapshotHash, "\(manifests)")
            #expect(manifests.first?.height == 4)

            let backup = network.folder.appendingPathComponent("backup.sqlite").path
            let backedUp = try await WeftProcess.run(["ledger", "backup", "--file", ledgers[0], "--to", backup])
            #expect(backedUp.status == 0, "\(backedUp.stderr)")
            let verified = try await WeftProcess.run(["ledger", "verify", backup])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

            // Export blocks 0…2, prune them from the live peer, and the peer goes on: it commits, and
            // says a pruned block was pruned, naming the archive.
            let archive = network.folder.appendingPathComponent("blocks-0-2.archive").path
            let exported = try await WeftProcess.run(["ledger", "export", "--file", ledgers[0], "--from", "0", "--to", "2", "--out", archive])
            #expect(exported.status == 0, "\(exported.stderr)")
            let pruned = try await WeftProcess.run(["ledger", "prune", "--file", ledgers[0], "--before", "3", "--archive", archive, "--json"])
            #expect(pruned.status == 0, "\(pruned.stderr)")
            #expect(pruned.stdout.contains("\"prunedBelow\":3"), "\(pruned.stdout)")
            let afterPrune = try await WeftProcess.run([
                "tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer", "--function", "CreateAsset",
                "--args", "after-prune", "red", "1", "bob", "10",
            ])
            #expect(afterPrune.status == 0, "\(afterPrune.stderr)")
            let verifiedPruned = try await WeftProcess.run(["ledger", "verify", ledgers[0], "--archive", archive])
            #expect(verifiedPruned.status == 0, "\(verifiedPruned.stdout)\(verifiedPruned.stderr)")
            #expect(verifiedPruned.stdout.contains("pruned below block 3"), "\(verifiedPruned.stdout)")
            #expect(verifiedPruned.stdout.contains("match the ledger's headers"), "\(verifiedPruned.stdout)")
            let prunedBlock = try await WeftProcess.run(["query", "block", "1", "--dir", network.dir, "--peer", "peer0.org1"])
            #expect(prunedBlock.status != 0)
            #expect(prunedBlock.stderr.contains("was pruned") && prunedBlock.stderr.contains(archive), "\(prunedBlock.stderr)")

            let again = try await WeftProcess.run(["ledger", "backup", "--file", ledgers[0], "--to", backup])
            #expect(again.status == 1)
            #expect(again.stderr.contains("already exists; name a new file"), "\(again.stderr)")
            let missing = try await WeftProcess.run(["ledger", "snapshot", "--file", ledgers[0] + ".nope", "--out", backup + ".snap"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no ledger file at"), "\(missing.stderr)")
            let tooHigh = try await WeftProcess.run(["ledger", "snapshot", "--file", ledgers[0], "--at", "1000000", "--out", backup + ".snap"])
            #expect(tooHigh.status == 1)
            #expect(tooHigh.stderr.contains("is above the ledger's height"), "\(tooHigh.stderr)")
        }
    }

    private struct FullStatus: Decodable {
        struct Peer: Decodable {
            var name: String
            var height: UInt64?
            var commitHash: String?
        }
        var peers: [Peer]
    }

    /// A peer whose ledger is replaced by one restored from another peer's snapshot rejoins at the
    /// snapshot's height, pulls the rest from the orderer and ends with the same commit hash.
    @Test func aPeerJoinedBySnapshotCatchesUpToTheSameCommitHash() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 1, peers: 2) { network in
            for index in 0..<3 {
                let submitted = try await WeftProcess.run([
                    "tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer", "--function", "CreateAsset",
                    "--args", "join\(index)", "blue", "5", "alice", "300",
                ])
                #expect(submitted.status == 0, "\(submitted.stderr)")
            }
            #expect(try await waitForPeers(network, height: 4))
            let source = network.folder.appendingPathComponent("nodes/peer0.org1/data/mychannel.sqlite").path
            let joining = network.folder.appendingPathComponent("nodes/peer1.org1/data/mychannel.sqlite").path
            let snapshotFolder = network.folder.appendingPathComponent("snap").path
            let snapshot = try await WeftProcess.run(["ledger", "snapshot", "--file", source, "--at", "4", "--out", snapshotFolder, "--json"])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            let manifest = try JSONDecoder().decode(Manifest.self, from: Data(snapshot.stdout.utf8))

            // Stop peer1.org1, replace its ledger by the restored one, start it again.
            let pid = try #require(try network.pid(of: "peer1.org1"))
            kill(pid, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(30)
            while kill(pid, 0) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: joining + suffix) }
            let wrong = try await WeftProcess.run([
                "ledger", "restore", "--snapshot", snapshotFolder, "--to", joining, "--commit-hash", String(repeating: "0", count: 64),
            ])
            #expect(wrong.status == 1 && wrong.stderr.contains("not the 0000"), "\(wrong.stderr)")
            let restored = try await WeftProcess.run([
                "ledger", "restore", "--snapshot", snapshotFolder, "--to", joining, "--commit-hash", manifest.commitHash,
            ])
            #expect(restored.status == 0, "\(restored.stderr)")
            let up = try await WeftProcess.run(["network", "up", "--dir", network.dir, "--timeout", "60"])
            #expect(up.status == 0, "\(up.stderr)")

            let after = try await WeftProcess.run([
                "tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer", "--function", "CreateAsset",
                "--args", "after-join", "red", "1", "bob", "10",
            ])
            #expect(after.status == 0, "\(after.stderr)")
            let statusDeadline = ContinuousClock.now + .seconds(60)
            var peers: [FullStatus.Peer] = []
            while ContinuousClock.now < statusDeadline {
                let status = try await WeftProcess.run(["network", "status", "--dir", network.dir, "--json"])
                peers = (try? JSONDecoder().decode(FullStatus.self, from: Data(status.stdout.utf8)))?.peers ?? []
                if peers.count == 2, Set(peers.map(\.height)).count == 1, (peers.first?.height ?? 0) >= 5 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(peers.count == 2 && Set(peers.map(\.height)).count == 1 && Set(peers.map(\.commitHash)).count == 1, "\(peers)")
            let old = try await WeftProcess.run(["query", "block", "1", "--dir", network.dir, "--peer", "peer1.org1"])
            #expect(old.status != 0 && old.stderr.contains("started from a snapshot at height 4"), "\(old.stderr)")
        }
    }
}
