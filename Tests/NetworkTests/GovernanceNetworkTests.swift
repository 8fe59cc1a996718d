import Foundation
import Testing
import WeftClient
import WeftCore

/// Configuration updates on a running network of real processes (docs/governance.md): refused without
/// a majority of administrators or when stale, in force on every node from the next block without a
/// restart, kept across restarts, and an organization added under load whose peer catches up, whose
/// client submits, and whose peer an upgraded endorsement policy requires.
@Suite(.serialized) struct GovernanceNetworkTests {
    @Test func anUpdateNeedsAMajorityOfAdminsAndTakesEffectLiveOnEveryNode() async throws {
        try await LocalNetworkFixture.with { network in
            let update = network.folder.appendingPathComponent("batch.update").path
            let create = try await WeftProcess.run(["channel", "update", "create", "--dir", network.dir, "--channel", "mychannel",
                                                    "--set", "batch.maxTxCount=2", "--out", update])
            #expect(create.status == 0, "\(create.stderr)")

            // One administrator of three: refused, nothing ordered.
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            guard case .info(let before) = try await gateway.query(.info) else { throw GatewayError.protocolError("info") }
            _ = try await WeftProcess.run(["channel", "update", "sign", update, "--dir", network.dir, "--org", "Org1MSP"])
            let tooFew = try await WeftProcess.run(["channel", "update", "submit", update, "--dir", network.dir])
            #expect(tooFew.status == 4 && tooFew.stderr.contains("signed by administrators of Org1MSP of 3 organizations; the Admins policy 'MAJORITY admin' needs more"),
                    "\(tooFew.stderr)")
            let byClient = try await WeftProcess.run(["channel", "update", "sign", update, "--identity", network.user("User1@org2", of: "org2")])
            #expect(byClient.status == 1 && byClient.stderr.contains("not an administrator"), "\(byClient.stderr)")
            guard case .info(let after) = try await gateway.query(.info) else { throw GatewayError.protocolError("info") }
            #expect(after.height == before.height)

            // A second administrator: in force; the same update again is stale.
            _ = try await WeftProcess.run(["channel", "update", "sign", update, "--dir", network.dir, "--org", "Org2MSP"])
            let submit = try await WeftProcess.run(["channel", "update", "submit", update, "--dir", network.dir, "--json"])
            #expect(submit.status == 0 && submit.stdout.contains("\"code\":\"VALID\""), "\(submit.stdout)\(submit.stderr)")
            let configBlock = try #require(try JSONSerialization.jsonObject(with: Data(submit.stdout.utf8)) as? [String: Any])["blockNumber"] as? Int
            let stale = try await WeftProcess.run(["channel", "update", "submit", update, "--dir", network.dir])
            #expect(stale.status == 4 && stale.stderr.contains("replaces configuration version 0, but version 1 is in force"), "\(stale.stderr)")

            // From the next block on, blocks hold at most 2 transactions: on the orderers at once, and
            // after every orderer and a peer restarted (they start from the configuration they recorded).
            try await submitConcurrently(gateway, count: 6, prefix: "live")
            let profile = try network.profile()
            for name in profile.orderers.map(\.name) + ["peer0.org2"] {
                kill(try #require(try network.pid(of: name)), SIGKILL)
            }
            let up = try await WeftProcess.run(["network", "up", "--dir", network.dir])
            #expect(up.status == 0, "\(up.stderr)")
            try await submitConcurrently(gateway, count: 6, prefix: "restarted")
            let height = try await waitForEqualHeights(gateway, profile)
            for number in UInt64(try #require(configBlock) + 1)..<height {
                guard case .block(let block?) = try await gateway.query(.block(number), peer: "peer0.org2") else {
                    Issue.record("peer0.org2 lacks block \(number)")
                    continue
                }
                #expect(block.data.count <= 2, "block \(number) holds \(block.data.count) transactions")
            }

            // Every member reads the history: who changed what, signed by whom.
            let history = try await WeftProcess.run(["channel", "config", "--dir", network.dir, "--history", "--json", "--peer", "peer0.org2"])
            let versions = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]], "\(history.stderr)")
            #expect(versions.map { $0["version"] as? Int } == [0, 1])
            #expect((versions[1]["signedBy"] as? [String])?.map { String($0.prefix(7)) } == ["Org1MSP", "Org2MSP"])
            #expect((versions[1]["batch"] as? [String: Int])?["maxTxCount"] == 2)
        }
    }

    @Test func anOrganizationAddedUnderLoadCatchesUpSubmitsAndIsRequiredByAnUpgradedPolicy() async throws {
        try await LocalNetworkFixture.with { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            let load = SubmitLoad(gateway, workers: 1, prefix: "load")
            let acknowledged = load.commits
            try await waitUntil("load runs") { await acknowledged.count >= 10 }
            let added = try await WeftProcess.run(["network", "add-org", "--dir", network.dir, "--name", "Org3", "--json"], timeout: .seconds(120))
            #expect(added.status == 0, "\(added.stderr)")

            // Org3's client submits through its own peer, which reached the others' commit hash.
            let org3 = try network.gateway(identity: network.user("User1@org3", of: "org3"))
            defer { Task { await org3.close() } }
            let submitted = try await org3.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                  arguments: ["org3-asset", "blue", "2", "dana", "20"].map { Array($0.utf8) })
            #expect(submitted.code == .valid)
            await load.stop()
            let profile = try network.profile()
            #expect(profile.peers.map(\.name).contains("peer0.org3"))
            let everyone = try network.gateway()
            defer { Task { await everyone.close() } }
            let height = try await waitForEqualHeights(everyone, profile)
            var commitHashes: Set<[UInt8]> = []
            for peer in profile.peers {
                if case .info(let info) = try await everyone.query(.info, peer: peer.name) { commitHashes.insert(info.commitHash) }
            }
            #expect(commitHashes.count == 1)
            // No acknowledged transaction was lost.
            for txID in await acknowledged.txIDs {
                guard case .transaction(let record?) = try await everyone.query(.transaction(txID), peer: "peer0.org3") else {
                    Issue.record("\(txID) is not in peer0.org3's ledger (height \(height))")
                    continue
                }
                #expect(record.status.validationCode == .valid)
            }

            // A new asset-transfer definition requires Org1's and Org3's peers: each application
            // organization's admin approves it (LifecycleEndorsement MAJORITY over 4 organizations
            // needs all three), then one commits it.
            let definition = ["--name", "asset-transfer", "--chaincode-version", "2", "--sequence", "2", "--policy", "AND('Org1.peer','Org3.peer')"]
            for org in ["Org1MSP", "Org2MSP"] {
                let approve = try await WeftProcess.run(["chaincode", "approve", "--dir", network.dir, "--org", org] + definition)
                #expect(approve.status == 0, "\(approve.stdout)\(approve.stderr)")
            }
            let early = try await WeftProcess.run(["chaincode", "commit", "--dir", network.dir, "--org", "Org1MSP"] + definition)
            #expect(early.status == 4 && early.stderr.contains("not approved by: Org3MSP"), "\(early.stdout)\(early.stderr)")
            let approve = try await WeftProcess.run(["chaincode", "approve", "--dir", network.dir, "--org", "Org3MSP"] + definition)
            #expect(approve.status == 0, "\(approve.stdout)\(approve.stderr)")
            let readiness = try await WeftProcess.run(["chaincode", "checkcommitreadiness", "--dir", network.dir, "--json"] + definition)
            let ready = try #require(try JSONSerialization.jsonObject(with: Data(readiness.stdout.utf8)) as? [String: Any], "\(readiness.stderr)")
            #expect(ready["ready"] as? Bool == true)
            #expect(ready["approvals"] as? [String: Bool] == ["Org1MSP": true, "Org2MSP": true, "Org3MSP": true])
            let commit = try await WeftProcess.run(["chaincode", "commit", "--dir", network.dir, "--org", "Org2MSP"] + definition)
            #expect(commit.status == 0, "\(commit.stdout)\(commit.stderr)")
            let list = try await WeftProcess.run(["chaincode", "list", "--dir", network.dir, "--json"])
            let definitions = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]], "\(list.stderr)")
            let upgraded = try #require(definitions.first { $0["name"] as? String == "asset-transfer" })
            #expect(upgraded["sequence"] as? Int == 2 && upgraded["source"] as? String == "lifecycle")

            // Endorsed the old way (Org1 and Org2 only): ENDORSEMENT_POLICY_FAILURE; with Org3's peer: valid.
            var oldWay = profile
            oldWay.channelOrganizations = ["mychannel": ["Org1MSP", "Org2MSP"]]
            let old = try Gateway(profile: oldWay, identityFolder: profile.identity ?? "")
            defer { Task { await old.close() } }
            let refused = try await old.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                               arguments: ["old-way", "red", "1", "erin", "1"].map { Array($0.utf8) })
            #expect(refused.code == .endorsementPolicyFailure)
            let accepted = try await everyone.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                    arguments: ["new-way", "red", "1", "erin", "1"].map { Array($0.utf8) })
            #expect(accepted.code == .valid)
        }
    }

    @Test func aConsentersTLSKeyIsRotatedUnderLoadWithoutAFailedSubmit() async throws {
        try await LocalNetworkFixture.with { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            let profile = try network.profile()
            let load = SubmitLoad(gateway, workers: 1, prefix: "rotate")
            let acknowledged = load.commits
            try await waitUntil("load runs") { await acknowledged.count >= 10 }
            // A follower gets a new TLS key (the node reloads its files), then the update pins it.
            var follower = ""
            for orderer in profile.orderers where follower.isEmpty {
                if let status = try? await gateway.ordererStatus(orderer.name), !status.isLeader { follower = orderer.name }
            }
            let renew = try await WeftProcess.run(["crypto", "renew", "--dir", network.dir, "--node", follower, "--new-key"])
            #expect(renew.status == 0, "\(renew.stderr)")
            let update = network.folder.appendingPathComponent("rotate.update").path
            let certificate = network.folder.appendingPathComponent("crypto/ordererOrganizations/orderer/orderers/\(follower)/tls/cert.pem").path
            let create = try await WeftProcess.run(["channel", "update", "create", "--dir", network.dir, "--channel", "mychannel",
                                                    "--update-consenter", follower, "--tls-cert", certificate, "--out", update])
            #expect(create.status == 0, "\(create.stderr)")
            for org in ["Org1MSP", "Org2MSP"] { _ = try await WeftProcess.run(["channel", "update", "sign", update, "--dir", network.dir, "--org", org]) }
            let submit = try await WeftProcess.run(["channel", "update", "submit", update, "--dir", network.dir])
            #expect(submit.status == 0, "\(submit.stdout)\(submit.stderr)\n\(network.logLines(containing: ["configuration", "error", "refus"]))")
            // The rotated orderer orders again: it reaches the others' height while the load goes on.
            let before = await acknowledged.count
            try await waitUntil("more commits") { await acknowledged.count >= before + 20 }
            try await waitUntil("\(follower) keeps up") {
                guard let rotated = try? await gateway.ordererStatus(follower),
                      let other = try? await gateway.ordererStatus(profile.orderers.first { $0.name != follower }!.name) else { return false }
                return rotated.height + 2 >= other.height
            }
            await load.stop()
            let failed = await acknowledged.failures
            #expect(failed.isEmpty, "failed submits: \(failed.prefix(3))")
        }
    }

    private func submitConcurrently(_ gateway: Gateway, count: Int, prefix: String) async throws {
        try await withThrowingTaskGroup(of: ValidationCode.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                             arguments: ["\(prefix)\(index)", "red", "1", "erin", "1"].map { Array($0.utf8) }).code
                }
            }
            for try await code in group { #expect(code == .valid) }
        }
    }
}
