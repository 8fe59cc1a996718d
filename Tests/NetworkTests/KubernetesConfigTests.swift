import Foundation
import Identity
import Testing
import WeftCrypto
import WeftNode
import WeftYAML

/// Node configurations written outside the code must load as a node loads them, with built-in chaincodes
/// and policies that parse: Network/k8s/configmap-nodes.yaml (Network/render-node-configs.py, one node
/// YAML per pod) and the example in docs/node-config.md. The cluster's crypto material
/// (Network/k8s/crypto.yaml) must name every address the configs dial, and the consenter pins that
/// render-node-configs.py --crypto computes with openssl must be the node's own.
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
            // TLS: the files the init container copies, HTTPS operations, consenters of OrdererMSP.
            #expect(configuration.tlsCertificatePath == "/var/run/weft/identity/tls/cert.pem", "\(name)")
            #expect(configuration.tlsKeyPath == "/var/run/weft/identity/tls/key.pem", "\(name)")
            #expect(configuration.operationsTLS == true, "\(name)")
            #expect(configuration.channel.ordererMSPIDs == ["OrdererMSP"], "\(name)")
            // The committed file has no pins: keys are made at deployment (render with --crypto).
            #expect(configuration.channel.orderers.allSatisfy { $0.tlsKeySHA256 == nil && $0.signingKeySHA256 == nil }, "\(name)")
            #expect(configuration.dataDir == "/var/lib/weft", "\(name)")
            #expect(configuration.channel.orderers.count == 3 && configuration.channel.peers.count == 4, "\(name)")
            #expect(configuration.channel.batch?.timeoutMilliseconds == 250, "\(name)")
            _ = try BuiltinChaincodes.registry(for: configuration.channel.chaincodes)
            for chaincode in configuration.channel.chaincodes { _ = try EndorsementPolicy(chaincode.policy) }
        }
    }

    /// The TLS certificate of a node of the cluster in `weft crypto generate` output.
    static func tlsCertificate(of node: String, in crypto: URL) -> URL {
        let organization = String(node.split(separator: ".")[1])
        let folder = organization == "orderer"
            ? "ordererOrganizations/orderer/orderers/\(node)" : "peerOrganizations/\(organization)/peers/\(node)"
        return crypto.appendingPathComponent(folder).appendingPathComponent("tls/cert.pem")
    }

    @Test func theClusterCertificatesNameEveryAddressTheConfigsDial() throws {
        let specification = try CryptoSpecification(
            yaml: String(contentsOf: Self.root.appendingPathComponent("Network/k8s/crypto.yaml"), encoding: .utf8))
        let crypto = FileManager.default.temporaryDirectory.appendingPathComponent("weft-k8s-crypto-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: crypto) }
        _ = try CryptoMaterialGenerator.generate(specification, into: crypto)
        let configurations = try Self.configurations(ofConfigMap: String(contentsOf: Self.configMap, encoding: .utf8))
        for (name, configuration) in configurations.sorted(by: { $0.key < $1.key }) {
            let dialled = configuration.channel.orderers.map { ($0.name, $0.address) } + configuration.channel.peers.map { ($0.name, $0.address) }
            for (node, address) in dialled {
                let host = try #require(Endpoint(address)).host
                let pem = try String(contentsOf: Self.tlsCertificate(of: node, in: crypto), encoding: .utf8)
                #expect(try Certificate(pemRepresentation: pem).names(host: host), "\(name): \(node) at \(host)")
            }
        }
    }

    static let hasPythonAndOpenSSL: Bool = ["python3", "openssl"].allSatisfy { tool in
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    @Test(.enabled(if: hasPythonAndOpenSSL, "needs python3 and the openssl command line"))
    func renderedPinsAreTheNodesOwn() throws {
        let crypto = FileManager.default.temporaryDirectory.appendingPathComponent("weft-k8s-pins-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: crypto) }
        _ = try CryptoMaterialGenerator.generate(.standard(organizations: 2, peers: 2, orderers: 3, users: 1), into: crypto)

        let render = Process()
        render.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        render.arguments = ["python3", Self.root.appendingPathComponent("Network/render-node-configs.py").path, "k8s", "--crypto", crypto.path]
        let output = Pipe()
        render.standardOutput = output
        try render.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        render.waitUntilExit()
        #expect(render.terminationStatus == 0)

        let configurations = try Self.configurations(ofConfigMap: text)
        #expect(configurations.count == Self.pods.count)
        for (name, configuration) in configurations.sorted(by: { $0.key < $1.key }) {
            #expect(configuration.channel.orderers.count == 3, "\(name)")
            for orderer in configuration.channel.orderers {
                let tls = Self.tlsCertificate(of: orderer.name, in: crypto)
                let signing = tls.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("cert.pem")
                #expect(orderer.tlsKeySHA256 == (try ConsenterPin.keySHA256(ofCertificateAt: tls)), "\(name): \(orderer.name)")
                #expect(orderer.signingKeySHA256 == (try ConsenterPin.keySHA256(ofCertificateAt: signing)), "\(name): \(orderer.name)")
            }
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
