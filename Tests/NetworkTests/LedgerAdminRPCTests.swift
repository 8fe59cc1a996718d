import Foundation
import Testing

/// `weft ledger snapshot|backup|export|prune --channel C` against running peers over their TLS admin
/// RPC: the snapshots of two peers agree and are signed by each, what the peers write reaches the
/// client's `--out`/`--to` and verifies, pruning answers what it removed and history queries say where
/// history stops; a client, an admin of another organization and an unknown channel are refused; a
/// peer whose node.yaml requires a snapshot before pruning refuses until it has one, then prunes on
/// its own to its `retainBlocks`, archiving first.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LedgerAdminRPCTests {
    private struct Status: Decodable {
        struct Peer: Decodable { var height: UInt64? }
        var peers: [Peer]
    }

    private struct PeerSnapshot: Decodable {
        var height: UInt64
        var snapshotHash: String
        var peer: String
        var peerFolder: String
        var signedBy: String?
    }

    private struct PeerFile: Decodable {
        var peerPath: String
    }

    /// Waits until every peer reports at least `height` blocks.
    private func waitForPeers(_ network: LocalNetworkFixture, height: UInt64) async throws {
        try await waitUntil("every peer at height \(height)") {
            guard let status = try? await WeftProcess.run(["network", "status", "--dir", network.dir, "--json"]),
                  let parsed = try? JSONDecoder().decode(Status.self, from: Data(status.stdout.utf8)) else { return false }
            return !parsed.peers.isEmpty && parsed.peers.allSatisfy { ($0.height ?? 0) >= height }
        }
    }

    private func submit(_ network: LocalNetworkFixture, _ arguments: [String]) async throws {
        let submitted = try await WeftProcess.run(["tx", "submit", "--dir", network.dir, "--chaincode", "asset-transfer"] + arguments)
        #expect(submitted.status == 0, "\(submitted.stderr)")
    }

    @Test func adminCallsWriteSignedSnapshotsBackupsArchivesAndPrune() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2) { network in
            // Values of 100 kB each make the state, the snapshot and the backup longer than one
            // download chunk (256 KiB), so files travel in several stream items.
            let large = String(repeating: "x", count: 100_000)
            for index in 0..<3 {
                try await submit(network, ["--function", "CreateAsset", "--args", "rpc\(index)", large, "5", "alice", "300"])
            }
            try await waitForPeers(network, height: 4)
            let dir = network.dir
            let out = { (name: String) in network.folder.appendingPathComponent(name).path }

            // Both peers, at the same height: the same snapshot hash, each signed by its peer.
            var taken: [PeerSnapshot] = []
            for peer in ["peer0.org1", "peer0.org2"] {
                let snapshot = try await WeftProcess.run([
                    "ledger", "snapshot", "--dir", dir, "--channel", "mychannel", "--peer", peer, "--at", "4", "--out", out("snap-\(peer)"), "--json",
                ])
                #expect(snapshot.status == 0, "\(snapshot.stderr)")
                taken.append(try JSONDecoder().decode(PeerSnapshot.self, from: Data(snapshot.stdout.utf8)))
                let verified = try await WeftProcess.run(["ledger", "verify", out("snap-\(peer)")])
                #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
                #expect(verified.stdout.contains("signed by") && verified.stdout.contains(peer), "\(verified.stdout)")
                let onPeer = network.folder.appendingPathComponent("nodes/\(peer)/data/snapshots/mychannel/4/signature.json").path
                #expect(FileManager.default.fileExists(atPath: onPeer))
            }
            #expect(taken.map(\.height) == [4, 4] && taken[0].snapshotHash == taken[1].snapshotHash, "\(taken)")
            #expect(taken.map(\.signedBy) == ["Org1MSP", "Org2MSP"] && taken[0].peerFolder == "snapshots/mychannel/4")

            // A signature that no longer covers the snapshot is refused; a snapshot from a file is unsigned.
            let tampered = out("snap-peer0.org1") + "/signature.json"
            let signature = try String(contentsOfFile: tampered, encoding: .utf8)
            try signature.replacingOccurrences(of: "\"signature\" : \"30", with: "\"signature\" : \"31").write(toFile: tampered, atomically: true, encoding: .utf8)
            let refused = try await WeftProcess.run(["ledger", "verify", out("snap-peer0.org1")])
            #expect(refused.status == 4 && refused.stdout.contains("does not verify"), "\(refused.stdout)\(refused.stderr)")
            let ledgerFile = network.folder.appendingPathComponent("nodes/peer0.org1/data/mychannel.sqlite").path
            let fromFile = try await WeftProcess.run(["ledger", "snapshot", "--file", ledgerFile, "--out", out("snap-file")])
            #expect(fromFile.status == 0, "\(fromFile.stderr)")
            let unsigned = try await WeftProcess.run(["ledger", "verify", out("snap-file")])
            #expect(unsigned.status == 0 && unsigned.stdout.contains("unsigned"), "\(unsigned.stdout)")

            // A backup streamed to the client verifies.
            let backup = try await WeftProcess.run(["ledger", "backup", "--dir", dir, "--channel", "mychannel", "--to", out("backup.sqlite")])
            #expect(backup.status == 0, "\(backup.stderr)")
            let backupVerified = try await WeftProcess.run(["ledger", "verify", out("backup.sqlite")])
            #expect(backupVerified.status == 0, "\(backupVerified.stdout)\(backupVerified.stderr)")

            // Export on the peer, prune with that archive: the answer says what was removed; a key's
            // history says where it stops; the pruned block names the archive.
            let export = try await WeftProcess.run([
                "ledger", "export", "--dir", dir, "--channel", "mychannel", "--from", "0", "--to", "2", "--out", out("0-2.archive"), "--json",
            ])
            #expect(export.status == 0, "\(export.stderr)")
            let archive = try JSONDecoder().decode(PeerFile.self, from: Data(export.stdout.utf8)).peerPath
            #expect(archive == "archives/mychannel/0-2.archive")
            let verifiedArchive = try await WeftProcess.run(["ledger", "verify", ledgerFile, "--archive", out("0-2.archive")])
            #expect(verifiedArchive.status == 0, "\(verifiedArchive.stdout)\(verifiedArchive.stderr)")
            let pruned = try await WeftProcess.run([
                "ledger", "prune", "--dir", dir, "--channel", "mychannel", "--before", "3", "--archive", archive, "--json",
            ])
            #expect(pruned.status == 0, "\(pruned.stderr)")
            #expect(pruned.stdout.contains("\"prunedBelow\":3"), "\(pruned.stdout)")
            try await submit(network, ["--function", "TransferAsset", "--args", "rpc0", "bob"])
            let history = try await WeftProcess.run(["query", "history", "rpc0", "--dir", dir, "--peer", "peer0.org1", "--json"])
            #expect(history.status == 0 && history.stdout.contains("\"prunedBelow\":3"), "\(history.stdout)\(history.stderr)")
            let historyText = try await WeftProcess.run(["query", "history", "rpc0", "--dir", dir, "--peer", "peer0.org1"])
            #expect(historyText.stdout.contains("keeps key history from block 3 on"), "\(historyText.stdout)")
            let unpruned = try await WeftProcess.run(["query", "history", "rpc0", "--dir", dir, "--peer", "peer0.org2", "--json"])
            #expect(unpruned.stdout.contains("\"prunedBelow\":null"), "\(unpruned.stdout)")
            let block = try await WeftProcess.run(["query", "block", "1", "--dir", dir, "--peer", "peer0.org1"])
            #expect(block.status != 0 && block.stderr.contains("was pruned") && block.stderr.contains("archives/mychannel/0-2.archive"), "\(block.stderr)")

            // Refusals: a client, an admin of another organization, an unknown channel, a foreign archive.
            let client = try await WeftProcess.run([
                "ledger", "snapshot", "--dir", dir, "--channel", "mychannel", "--identity", network.user("User1@org1", of: "org1"),
            ])
            #expect(client.status == 3 && client.stderr.contains("ledgerSnapshot requires") && client.stderr.contains("role client"), "\(client.stderr)")
            let foreign = try await WeftProcess.run([
                "ledger", "prune", "--dir", dir, "--channel", "mychannel", "--before", "3", "--peer", "peer0.org1",
                "--identity", network.user("Admin@org2", of: "org2"),
            ])
            #expect(foreign.status == 3 && foreign.stderr.contains("only an admin of Org1MSP may administer peer0.org1"), "\(foreign.stderr)")
            let unknown = try await WeftProcess.run(["ledger", "backup", "--dir", dir, "--channel", "nope"])
            #expect(unknown.status == 1 && unknown.stderr.contains("has not joined channel 'nope'"), "\(unknown.stderr)")
            let missingArchive = try await WeftProcess.run([
                "ledger", "prune", "--dir", dir, "--channel", "mychannel", "--before", "3", "--archive", "archives/mychannel/none.archive",
            ])
            #expect(missingArchive.status == 1 && missingArchive.stderr.contains("there is no archive"), "\(missingArchive.stderr)")
            let both = try await WeftProcess.run(["ledger", "backup", "--dir", dir, "--file", ledgerFile, "--to", out("x.sqlite")])
            #expect(both.status == 1 && both.stderr.contains("give one or the other"), "\(both.stderr)")
        }
    }

    @Test func retentionWaitsForASnapshotThenPrunesInTheBackground() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 1) { network in
            let peer = "peer0.org1"
            let pid = try #require(try network.pid(of: peer))
            kill(pid, SIGTERM)
            try await waitUntil("\(peer) stopped", timeout: .seconds(30)) { kill(pid, 0) != 0 }
            let configuration = network.folder.appendingPathComponent("nodes/\(peer)/node.yaml").path
            let settings = "\nledger:\n  retainBlocks: 2\n  requireSnapshotBeforePrune: true\n  archive: true\n"
            try (try String(contentsOfFile: configuration, encoding: .utf8) + settings).write(toFile: configuration, atomically: true, encoding: .utf8)
            let up = try await WeftProcess.run(["network", "up", "--dir", network.dir, "--timeout", "60"])
            #expect(up.status == 0, "\(up.stderr)")
            for index in 0..<4 {
                try await submit(network, ["--function", "CreateAsset", "--args", "keep\(index)", "red", "1", "bob", "10"])
            }
            try await waitForPeers(network, height: 5)

            // No snapshot yet: a requested prune is refused with the reason, and nothing is pruned.
            let refused = try await WeftProcess.run(["ledger", "prune", "--dir", network.dir, "--channel", "mychannel", "--before", "2"])
            #expect(refused.status == 1 && refused.stderr.contains("requires a snapshot before pruning"), "\(refused.stderr)")
            let kept = try await WeftProcess.run(["query", "block", "1", "--dir", network.dir])
            #expect(kept.status == 0, "\(kept.stderr)")

            // After a snapshot at the current height, the peer prunes on its own to its last 2 blocks.
            let snapshot = try await WeftProcess.run(["ledger", "snapshot", "--dir", network.dir, "--channel", "mychannel", "--json"])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            let height = try JSONDecoder().decode(PeerSnapshot.self, from: Data(snapshot.stdout.utf8)).height
            try await waitUntil("the peer pruned below block \(height - 2)") {
                let block = try? await WeftProcess.run(["query", "block", "\(height - 3)", "--dir", network.dir])
                return block?.stderr.contains("was pruned") ?? false
            }
            let archives = network.folder.appendingPathComponent("nodes/\(peer)/data/archives/mychannel").path
            let written = try FileManager.default.contentsOfDirectory(atPath: archives)
            #expect(written.contains("0-\(height - 3).archive"), "\(written)")
            let block = try await WeftProcess.run(["query", "block", "0", "--dir", network.dir])
            #expect(block.stderr.contains(archives), "\(block.stderr)")
            let verified = try await WeftProcess.run([
                "ledger", "verify", network.folder.appendingPathComponent("nodes/\(peer)/data/mychannel.sqlite").path,
                "--archive", archives + "/0-\(height - 3).archive",
            ])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        }
    }
}
