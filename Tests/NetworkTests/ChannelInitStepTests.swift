import Foundation
import Testing
import WeftClient

/// The init step that creates and joins channels in Kubernetes (the Job of Network/k8s/job-channels.yaml)
/// and compose (the `channels` one-shot of Network/compose.yaml, the same script): run as written
/// against a running local network, with the network folder's `channels/` as its block folder (as
/// compose has it), it joins the pre-joined channel again without harm, creates and joins new channels
/// (one of Org1 only), and a second run changes nothing.
@Suite(.serialized) struct ChannelInitStepTests {
    static let root = KubernetesConfigTests.root

    /// Runs the Job's script with `bash` as the container would, `weft` being this build's.
    static func runScript(_ script: String, network: String, channels: String) throws -> ExternalProcess.Outcome {
        let bin = URL(fileURLWithPath: WeftProcess.executable).deletingLastPathComponent().path
        return try ExternalProcess.run("/bin/bash", ["-c", script], environment: [
            "WEFT_NETWORK": network, "WEFT_BLOCKS": network + "/channels", "WEFT_CHANNELS": channels,
            "WEFT_JOIN_SECONDS": "60", "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ], timeout: 240)
    }

    @Test func theJobsScriptCreatesAndJoinsChannelsAndRunsAgain() async throws {
        let script = try KubernetesJob.channels(root: Self.root).script
        try await LocalNetworkFixture.with(peers: 1) { network in
            let first = try Self.runScript(script, network: network.dir, channels: "ch2=Org1 ch3")
            #expect(first.status == 0, "\(first.output)")
            // mychannel: pre-joined by `network up`, its block already in channels/: joined, not refused.
            #expect(first.output.contains("peer0.org1: already joined channel 'mychannel' with this block"), "\(first.output)")
            #expect(first.output.contains("peer0.org2: not a member of channel 'ch2', skipped"), "\(first.output)")
            #expect(FileManager.default.fileExists(atPath: network.folder.appendingPathComponent("channels/ch2.block").path))

            let again = try Self.runScript(script, network: network.dir, channels: "ch2=Org1 ch3")
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.contains("orderer2.orderer: already joined channel 'ch3' with this block"), "\(again.output)")
            #expect(!again.output.contains("wrote "), "a second run made a block again: \(again.output)")

            let list = try await WeftProcess.run(["channel", "list", "--dir", network.dir])
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n").map(String.init)
            #expect(lines.filter { $0.hasPrefix("orderer") }.allSatisfy { $0.contains("ch2 (") && $0.contains("ch3 (") && $0.contains("mychannel (") }, "\(list.stdout)")
            #expect(lines.contains { $0.hasPrefix("peer0.org1: ") && $0.contains("ch2 (") && $0.contains("ch3 (") }, "\(list.stdout)")
            #expect(lines.contains { $0.hasPrefix("peer0.org2: ") && !$0.contains("ch2 (") && $0.contains("ch3 (") }, "\(list.stdout)")

            // The new channel orders and commits.
            let gateway = try network.gateway(channel: "ch3")
            defer { Task { await gateway.close() } }
            let result = try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                  arguments: ["init-step", "red", "1", "bob", "1"].map { Array($0.utf8) })
            #expect(result.code == .valid)
        }
    }

    static let hasPythonYAML: Bool = {
        guard let python = ExternalProcess.find("python3") else { return false }
        return (try? ExternalProcess.run(python, ["-c", "import yaml"]).status) == 0
    }()

    /// Compose runs the Job's script (with compose's `$$` for a literal `$`) on its network folder.
    @Test(.enabled(if: hasPythonYAML, "needs python3 with PyYAML to read compose.yaml (it uses anchors)"))
    func theComposeOneShotRunsTheJobsScript() throws {
        let read = """
            import json, sys, yaml
            service = yaml.safe_load(open(sys.argv[1]))["services"]["channels"]
            print(json.dumps({"script": service["command"][0], "environment": service["environment"],
                              "entrypoint": service["entrypoint"]}))
            """
        let outcome = try ExternalProcess.run(try #require(ExternalProcess.find("python3")),
                                              ["-c", read, Self.root.appendingPathComponent("Network/compose.yaml").path])
        #expect(outcome.status == 0, "\(outcome.output)")
        struct Service: Decodable { let script: String; let environment: [String: String]; let entrypoint: [String] }
        let service = try JSONDecoder().decode(Service.self, from: Data(outcome.output.utf8))
        #expect(service.entrypoint == ["/bin/bash", "-c"])
        #expect(service.script.replacingOccurrences(of: "$$", with: "$") == (try KubernetesJob.channels(root: Self.root).script))
        #expect(service.environment["WEFT_NETWORK"] == "/net" && service.environment["WEFT_BLOCKS"] == "/net/channels")
        #expect(service.environment["WEFT_CHANNELS"] == "${WEFT_CHANNELS:-}")
    }
}
