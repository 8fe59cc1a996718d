import Foundation
import Identity
import Testing
import WeftNode
import WeftYAML

/// Node configurations written outside the code must load as a node loads them, with built-in chaincodes
/// and policies that parse: Network/k8s/configmap-nodes.yaml (Network/render-node-configs.py, one node
/// YAML per pod) and the example in docs/node-config.md.
@Suite struct KubernetesConfigTests {
    struct ConfigMap: Decodable {
        var kind: String
        var data: [String: String]
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let configMap = root.appendingPathComponent("Network/k8s/configmap-nodes.yaml")

    @Test func everyPodsNodeConfigurationLoads() throws {
        let map = try YAMLDecoder().decode(ConfigMap.self, from: String(contentsOf: Self.configMap, encoding: .utf8))
        #expect(map.kind == "ConfigMap")
        let pods = ["orderer-0", "orderer-1", "orderer-2", "org1-peer-0", "org1-peer-1", "org2-peer-0", "org2-peer-1"]
        #expect(map.data.keys.sorted() == pods.map { "\($0).yaml" }.sorted())

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-k8s-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in map.data.sorted(by: { $0.key < $1.key }) {
            let file = folder.appendingPathComponent(name)
            try text.write(to: file, atomically: true, encoding: .utf8)
            let configuration = try NodeConfiguration.load(path: file.path, environment: [:])
            #expect(configuration.identity == "/var/run/weft/identity", "\(name)")
            #expect(configuration.dataDir == "/var/lib/weft", "\(name)")
            #expect(configuration.channel.orderers.count == 3 && configuration.channel.peers.count == 4, "\(name)")
            #expect(configuration.channel.batch?.timeoutMilliseconds == 250, "\(name)")
            _ = try BuiltinChaincodes.registry(for: configuration.channel.chaincodes)
            for chaincode in configuration.channel.chaincodes { _ = try EndorsementPolicy(chaincode.policy) }
        }
    }

    @Test func theDocumentedExampleLoads() throws {
        let document = try String(contentsOf: Self.root.appendingPathComponent("docs/node-config.md"), encoding: .utf8)
        let example = try #require(document.split(separator: "```yaml\n", maxSplits: 1).last?.split(separator: "```", maxSplits: 1).first)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("weft-doc-node-\(UUID().uuidString).yaml")
        try String(example).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try NodeConfiguration.load(path: file.path, environment: [:])
        #expect(configuration.name == "peer0.org1")
        #expect(configuration.channel.batch?.timeoutMilliseconds == 250)
        #expect(configuration.channel.raft?.electionTicks == 6)
        #expect(configuration.channel.blockPolicy == "ANY orderer")
        _ = try BuiltinChaincodes.registry(for: configuration.channel.chaincodes)
    }
}
