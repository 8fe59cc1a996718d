import Foundation
import Identity
import Testing
import WeftCore
import WeftCrypto
import WeftNode
import WeftProtocol
import WeftYAML

/// The Kubernetes init step for channels (Network/k8s/job-channels.yaml): the network folder the Job
/// projects from the crypto Secrets and ConfigMaps holds what its `weft channel create` and `weft
/// channel join` read (and no orderer key), and the genesis blocks it makes carry consenter and anchor
/// peer addresses that the cluster's crypto material (Network/k8s/crypto.yaml) names and that the pods
/// listen on.
@Suite struct KubernetesChannelsTests {
    static let root = KubernetesConfigTests.root

    struct ConfigMap: Decodable {
        var kind: String
        var data: [String: String]
    }

    /// The TLS certificate of a node of the cluster in `weft crypto generate` output.
    static func tlsCertificate(of node: String, in crypto: URL) throws -> Certificate {
        let organization = String(node.split(separator: ".")[1])
        let folder = organization == "orderer"
            ? "ordererOrganizations/orderer/orderers/\(node)" : "peerOrganizations/\(organization)/peers/\(node)"
        return try Certificate(pemRepresentation: String(
            contentsOf: crypto.appendingPathComponent(folder).appendingPathComponent("tls/cert.pem"), encoding: .utf8))
    }

    @Test func theJobsChannelsCarryAddressesTheClusterNamesAndListensOn() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("weft-k8s-channels-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        // Everything crypto-secrets.sh would put in the Secrets, generated from the cluster's crypto.yaml.
        let full = work.appendingPathComponent("generated")
        let specification = try CryptoSpecification(
            yaml: String(contentsOf: Self.root.appendingPathComponent("Network/k8s/crypto.yaml"), encoding: .utf8))
        let material = try CryptoMaterialGenerator.generate(specification, into: full.appendingPathComponent("crypto"))
        let channels = try YAMLDecoder().decode(ConfigMap.self, from: String(
            contentsOf: Self.root.appendingPathComponent("Network/k8s/configmap-channels.yaml"), encoding: .utf8))
        let profile = try #require(channels.data["profile.yaml"])
        let specs = try #require(channels.data["channels"]).split(separator: " ").map(String.init)
        #expect(specs.first == "mychannel")

        // The Job: its folder is the projected volume `network`, its channels the ConfigMap's key.
        let job = try KubernetesJob.channels(root: Self.root)
        #expect(job.kind == "Job")
        let mount = try #require(job.container.volumeMounts.first { $0.name == "network" }).mountPath
        #expect(job.environment("WEFT_NETWORK") == mount)
        let channelsVariable = job.container.env.first { $0.name == "WEFT_CHANNELS" }?.valueFrom?.configMapKeyRef
        #expect(channelsVariable?.name == "weft-channels" && channelsVariable?.key == "channels")

        // Only the projected files, as the kubelet writes them: no orderer's key among them.
        let projected = work.appendingPathComponent("network")
        let files = job.projectedFiles(of: "network")
        for file in files {
            let target = projected.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if file.path == "profile.yaml" {
                #expect(file.object == "weft-channels" && file.key == "profile.yaml")
                try profile.write(to: target, atomically: true, encoding: .utf8)
            } else {
                let source = full.appendingPathComponent(file.path)
                #expect(FileManager.default.fileExists(atPath: source.path), "\(file.path) is not in weft crypto generate's output")
                try? FileManager.default.copyItem(at: source, to: target)
            }
            #expect(!file.path.hasSuffix("key.pem") || file.path.contains("/users/Admin@"), "\(file.path): a node's key in the Job")
        }
        // `weft channel join --dir` calls each node as its organization's admin, over TLS.
        for organization in material.organizations {
            let admin = try #require(organization.identities.first { $0.role == .admin })
            for name in ["tls/cert.pem", "tls/key.pem"] {
                let path = "crypto/\(admin.path)/\(name)"
                #expect(files.contains { $0.path == path }, "the Job does not project \(path)")
            }
        }

        let nodes = try KubernetesConfigTests.configurations(ofConfigMap: String(contentsOf: KubernetesConfigTests.configMap, encoding: .utf8))
        func listenPort(of node: String) -> Int? {
            nodes.values.first { $0.name == node }.flatMap { Endpoint($0.listen)?.port }
        }
        for spec in specs {
            let name = String(spec.split(separator: "=")[0])
            let block = work.appendingPathComponent("\(name).block")
            let organizations = spec.contains("=") ? ["--orgs", String(spec.split(separator: "=")[1])] : []
            // The Job's command, on the projected folder alone.
            let create = try await WeftProcess.run(["channel", "create", "--name", name] + organizations
                                                   + ["--dir", projected.path, "--out", block.path])
            #expect(create.status == 0, "\(create.stderr)")
            let checked = try GenesisBlock.check([UInt8](Data(contentsOf: block)))
            let config = try checked.transaction.config()
            #expect(config.consenters.map(\.name) == ["orderer0.orderer", "orderer1.orderer", "orderer2.orderer"])
            #expect(config.raft.electionTicks == 10)
            for consenter in config.consenters {
                let address = try #require(Endpoint(consenter.address))
                #expect(try Certificate(derRepresentation: consenter.tlsCertificate).names(host: address.host), "\(name): \(consenter.name) at \(address.host)")
                #expect(listenPort(of: consenter.name) == address.port, "\(name): \(consenter.name) listens elsewhere")
            }
            let anchors = config.organizations.flatMap(\.anchorPeers)
            #expect(anchors.count == 4)
            for anchor in anchors {
                let address = try #require(Endpoint(anchor.address))
                #expect(try Self.tlsCertificate(of: anchor.name, in: full.appendingPathComponent("crypto")).names(host: address.host),
                        "\(name): \(anchor.name) at \(address.host)")
                #expect(listenPort(of: anchor.name) == address.port, "\(name): \(anchor.name) listens elsewhere")
            }
        }
    }

    /// `weft channel create --profile FILE --crypto DIR`: an administrator's machine with the cluster's
    /// `weft crypto generate` output and the cluster's profile makes the same block as the Job; the
    /// material may have moved since it was generated.
    @Test func createFromAProfileAndACryptoFolderMakesTheJobsBlock() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("weft-k8s-create-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let generated = work.appendingPathComponent("made-here/crypto")
        let specification = try CryptoSpecification(
            yaml: String(contentsOf: Self.root.appendingPathComponent("Network/k8s/crypto.yaml"), encoding: .utf8))
        _ = try CryptoMaterialGenerator.generate(specification, into: generated)
        let moved = work.appendingPathComponent("admin/crypto")
        try FileManager.default.createDirectory(at: moved.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: generated, to: moved)  // crypto.json still names made-here/crypto
        let channels = try YAMLDecoder().decode(ConfigMap.self, from: String(
            contentsOf: Self.root.appendingPathComponent("Network/k8s/configmap-channels.yaml"), encoding: .utf8))
        let profile = work.appendingPathComponent("k8s-profile.yaml")
        try #require(channels.data["profile.yaml"]).write(to: profile, atomically: true, encoding: .utf8)

        let fromProfile = work.appendingPathComponent("a.block")
        let create = try await WeftProcess.run(["channel", "create", "--name", "ch2", "--orgs", "Org1", "--profile", profile.path,
                                                "--crypto", moved.path, "--out", fromProfile.path])
        #expect(create.status == 0, "\(create.stderr)")
        // The same as from a network folder holding that crypto material and profile (what the Job has).
        let network = work.appendingPathComponent("admin")
        try FileManager.default.copyItem(at: profile, to: network.appendingPathComponent("profile.yaml"))
        let fromFolder = work.appendingPathComponent("b.block")
        let again = try await WeftProcess.run(["channel", "create", "--name", "ch2", "--orgs", "Org1", "--dir", network.path,
                                               "--out", fromFolder.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: fromProfile) == Data(contentsOf: fromFolder))
        let config = try GenesisBlock.check([UInt8](Data(contentsOf: fromProfile))).transaction.config()
        #expect(config.organizations.map(\.mspID) == ["OrdererMSP", "Org1MSP"])
        #expect(config.consenters.first?.address == "orderer-0.orderer.weft.svc.cluster.local:7050")

        let ticks = try await WeftProcess.run(["channel", "create", "--name", "ch3", "--profile", profile.path, "--crypto", network.path,
                                               "--election-ticks", "6", "--out", work.appendingPathComponent("c.block").path])
        #expect(ticks.status == 0, "\(ticks.stderr)")
        #expect(try GenesisBlock.check([UInt8](Data(contentsOf: work.appendingPathComponent("c.block")))).transaction.config().raft.electionTicks == 6)
        let noMaterial = try await WeftProcess.run(["channel", "create", "--name", "ch4", "--profile", profile.path, "--crypto", work.path])
        #expect(noMaterial.status == 1 && noMaterial.stderr.contains("holds no crypto material"), "\(noMaterial.stderr)")
        let tooFew = try await WeftProcess.run(["channel", "create", "--name", "ch4", "--dir", network.path, "--election-ticks", "2"])
        #expect(tooFew.status == 1 && tooFew.stderr.contains("--election-ticks 3…1000"), "\(tooFew.stderr)")
    }
}
