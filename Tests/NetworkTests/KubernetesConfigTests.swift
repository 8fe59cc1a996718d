import Foundation
import Identity
import Testing
import WeftCrypto
import WeftNode
import WeftYAML

/// Node configurations written outside the code must load as a node loads them:
/// Network/k8s/configmap-nodes.yaml (Network/render-node-configs.py, one node YAML per pod) and the
/// example in docs/node-config.md.
@Suite struct KubernetesConfigTests {
    struct ConfigMap: Decodable {
        var kind: String
        var data: [String: String]
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let configMap = root.appendingPathComponent("Network/k8s/configmap-nodes.yaml")
    static let pods = ["orderer-0", "orderer-1", "orderer-2", "org1-peer-0", "org1-peer-1", "org2-peer-0", "org2-peer-1"]

    /// Every pod's node configuration in a ConfigMap's text, loaded as the node loads it.
    static func configurations(ofConfigMap text: String) throws -> [String: NodeConfiguration] {
        let map = try YAMLDecoder().decode(ConfigMap.self, from: text)
        #expect(map.kind == "ConfigMap")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-k8s-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configurations: [String: NodeConfiguration] = [:]
        for (name, text) in map.data {
            let file = folder.appendingPathComponent(name)
            try text.write(to: file, atomically: true, encoding: .utf8)
            configurations[name] = try NodeConfiguration.load(path: file.path, environment: [:])
        }
        return configurations
    }

    @Test func everyPodsNodeConfigurationLoads() throws {
        let configurations = try Self.configurations(ofConfigMap: String(contentsOf: Self.configMap, encoding: .utf8))
        #expect(configurations.keys.sorted() == Self.pods.map { "\($0).yaml" }.sorted())
        for (name, configuration) in configurations.sorted(by: { $0.key < $1.key }) {
            #expect(configuration.identity == "/var/run/weft/identity", "\(name)")
            // TLS: the files the init container copies, HTTPS operations, the organization's MSP from the Secret.
            #expect(configuration.tlsCertificatePath == "/var/run/weft/identity/tls/cert.pem", "\(name)")
            #expect(configuration.tlsKeyPath == "/var/run/weft/identity/tls/key.pem", "\(name)")
            #expect(configuration.operationsTLS == true, "\(name)")
            let organization = configuration.name.split(separator: ".").last.map(String.init) ?? ""
            #expect(configuration.mspPath == "/etc/weft/msp/\(organization)", "\(name)")
            #expect(configuration.dataDir == "/var/lib/weft", "\(name)")
        }
    }

    /// The first YAML example of docs/node-config.md and of docs/deployment.md loads as a node file.
    @Test(arguments: ["docs/node-config.md", "docs/deployment.md"]) func theDocumentedExampleLoads(_ path: String) throws {
        let document = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
        let example = try #require(document.split(separator: "```yaml\n", maxSplits: 1).last?.split(separator: "```", maxSplits: 1).first)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("weft-doc-node-\(UUID().uuidString).yaml")
        try String(example).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try NodeConfiguration.load(path: file.path, environment: [:])
        #expect(configuration.name == "peer0.org1")
        #expect(configuration.mspPath.hasSuffix("crypto/peerOrganizations/org1/msp"))
        #expect(configuration.ledger?.cacheBudgetMiB == 32)
    }
}
