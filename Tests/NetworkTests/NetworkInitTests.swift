import Foundation
import Testing
import WeftClient
import WeftNode

/// `weft network init`: the network folder without processes (what Network/compose.yaml runs on), with
/// fixed consecutive ports, over crypto material from `weft crypto generate`.
@Suite struct NetworkInitTests {
    @Test func writesTheFolderWithConsecutivePortsOverGeneratedCrypto() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-init-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let crypto = try await WeftProcess.run(["crypto", "generate", "--orgs", "2", "--peers", "2", "--orderers", "3",
                                                "--users", "1", "--out", folder.appendingPathComponent("crypto").path])
        #expect(crypto.status == 0, "\(crypto.stderr)")

        // --orgs 1 is ignored: the existing material (2 organizations × 2 peers) decides.
        let initialized = try await WeftProcess.run(["network", "init", "--dir", folder.path, "--orgs", "1", "--base-port", "27050", "--json"])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(initialized.stderr.contains("using the crypto material"))
        // --json: one document on stdout naming every node with its ports and config.
        struct Row: Decodable { let role: String; let name: String; let listen: String; let operations: String?; let config: String }
        struct Output: Decodable { let dir: String; let profile: String; let nodes: [Row] }
        let output = try JSONDecoder().decode(Output.self, from: Data(initialized.stdout.utf8))
        #expect(output.nodes.map(\.listen) == (27050...27056).map { "127.0.0.1:\($0)" })
        #expect(output.nodes.filter { $0.role == "peer" }.count == 4)
        #expect(output.profile == "profile.yaml")

        let state = try LocalNetworkState.load(from: folder)
        #expect(state.nodes.map(\.name) == ["orderer0.orderer", "orderer1.orderer", "orderer2.orderer",
                                            "peer0.org1", "peer1.org1", "peer0.org2", "peer1.org2"])
        #expect(state.nodes.allSatisfy { $0.pid == nil })
        var listen: [String] = []
        var operations: [String] = []
        for node in state.nodes {
            let configuration = try NodeConfiguration.load(path: folder.appendingPathComponent(node.config).path, environment: [:])
            #expect(configuration.identity.hasPrefix(folder.appendingPathComponent("crypto").path))
            listen.append(configuration.listen)
            operations.append(configuration.operations ?? "")
        }
        #expect(listen == (27050...27056).map { "127.0.0.1:\($0)" })
        #expect(operations == (27057...27063).map { "127.0.0.1:\($0)" })
        let profile = try ConnectionProfile.load(path: folder.appendingPathComponent("profile.yaml").path)
        #expect(profile.peers.map(\.address) == (27053...27056).map { "127.0.0.1:\($0)" })
        // Every node's operations endpoint is in the profile, for `weft network top --profile`.
        #expect((profile.orderers.compactMap(\.operations) + profile.peers.compactMap(\.operations))
            == (27057...27063).map { "127.0.0.1:\($0)" })

        let again = try await WeftProcess.run(["network", "init", "--dir", folder.path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds a network"))
    }

    @Test func rejectsABasePortThatLeavesTooFewPorts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-init-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await WeftProcess.run(["network", "init", "--dir", folder.path, "--orgs", "1", "--orderers", "1",
                                                 "--base-port", "65534"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("too few ports"), "\(outcome.stderr)")
        let zero = try await WeftProcess.run(["network", "init", "--dir", folder.path, "--base-port", "0"])
        #expect(zero.status != 0)
        #expect(zero.stderr.contains("--base-port must be a port number"), "\(zero.stderr)")
    }
}
