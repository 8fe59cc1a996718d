import Foundation
import Testing
import WeftClient
import WeftCrypto
import WeftNode

/// `weft network init --hosts FILE`: one folder per host with just what it needs, certificates naming
/// each node's host and address, nothing on loopback; refusals exit 1 with the reason.
@Suite struct NetworkInitHostsTests {
    static let hostsYAML = """
        orderer0.orderer: {host: site-a, address: 10.77.0.11}
        orderer1.orderer: {host: site-b, address: 10.77.0.12}
        orderer2.orderer: {host: site-a, address: 10.77.0.11}
        peer0.org1: {host: site-a, address: 10.77.0.11}
        peer0.org2: {host: site-b, address: 10.77.0.12}
        """

    private func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-hosts-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Every regular file under `folder`, relative to it, sorted.
    private func files(under folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { path in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory)
                return exists && !isDirectory.boolValue
            }
            .sorted()
    }

    @Test func writesOneFolderPerHostWithWhatItNeeds() async throws {
        let scratch = try scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let hostsFile = scratch.appendingPathComponent("hosts.yaml")
        try Self.hostsYAML.write(to: hostsFile, atomically: true, encoding: .utf8)
        let folder = scratch.appendingPathComponent("net")
        let outcome = try await WeftProcess.run(["network", "init", "--dir", folder.path, "--hosts", hostsFile.path, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")

        struct Row: Decodable { let role: String; let host: String?; let name: String; let listen: String }
        struct Output: Decodable { let nodes: [Row] }
        let output = try JSONDecoder().decode(Output.self, from: Data(outcome.stdout.utf8))
        #expect(output.nodes.map(\.host) == ["site-a", "site-b", "site-a", "site-a", "site-b"])
        #expect(output.nodes.map(\.listen) == ["0.0.0.0:7050", "0.0.0.0:7050", "0.0.0.0:7150", "0.0.0.0:7051", "0.0.0.0:7051"])

        let siteA = folder.appendingPathComponent("hosts/site-a")
        let manifest = try JSONDecoder().decode(HostFolders.Manifest.self, from: Data(contentsOf: siteA.appendingPathComponent("host.json")))
        #expect(manifest.address == "10.77.0.11")
        #expect(manifest.nodes.map(\.name) == ["orderer0.orderer", "orderer2.orderer", "peer0.org1"])
        #expect(manifest.ports == [7050, 7051, 7150, 8443, 8543, 9443])

        // Exactly its nodes' identities and every organization's MSP: no other node's key, no CA key, no user.
        let siteAFiles = files(under: siteA)
        let keys = siteAFiles.filter { $0.hasSuffix("key.pem") }
        #expect(keys == [
            "crypto/ordererOrganizations/orderer/orderers/orderer0.orderer/key.pem",
            "crypto/ordererOrganizations/orderer/orderers/orderer0.orderer/tls/key.pem",
            "crypto/ordererOrganizations/orderer/orderers/orderer2.orderer/key.pem",
            "crypto/ordererOrganizations/orderer/orderers/orderer2.orderer/tls/key.pem",
            "crypto/peerOrganizations/org1/peers/peer0.org1/key.pem",
            "crypto/peerOrganizations/org1/peers/peer0.org1/tls/key.pem",
        ], "\(keys)")
        for organization in ["ordererOrganizations/orderer", "peerOrganizations/org1", "peerOrganizations/org2"] {
            #expect(siteAFiles.contains { $0.hasPrefix("crypto/\(organization)/msp/tlscacerts/") }, "\(organization)")
            #expect(siteAFiles.contains { $0.hasPrefix("crypto/\(organization)/msp/cacerts/") }, "\(organization)")
        }
        #expect(!siteAFiles.contains { $0.contains("users/") || $0.contains("/ca/") || $0.contains("/tlsca/") || $0.contains("peer0.org2") })
        #expect(siteAFiles.contains("profile.yaml"))
        // The network's channel blocks travel with every host folder; each node is pre-joined (below).
        #expect(siteAFiles.contains("channels/mychannel.block"))
        #expect(files(under: folder.appendingPathComponent("hosts/site-b")).contains("channels/mychannel.block"))
        for key in keys {
            let mode = try FileManager.default.attributesOfItem(atPath: siteA.appendingPathComponent(key).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(key)")
        }

        // Every config loads from the host folder alone, listens everywhere, dials addresses, never loopback.
        for node in manifest.nodes {
            let path = siteA.appendingPathComponent(node.config).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains("127.0.0.1") && !text.contains("localhost"), "\(node.name)")
            let configuration = try NodeConfiguration.load(path: path, environment: [:])
            #expect(configuration.identity.hasPrefix(siteA.path))
            #expect(configuration.mspPath.hasPrefix(siteA.path))
            #expect(configuration.listen.hasPrefix("0.0.0.0:"))
            #expect(configuration.operations?.hasPrefix("0.0.0.0:") == true)
            // Joined to the channel: its genesis block in the node's data folder names the consenters' addresses.
            let genesis = URL(fileURLWithPath: configuration.dataDir).appendingPathComponent("channels/mychannel/genesis.block")
            let channel = try GenesisBlock.check([UInt8](Data(contentsOf: genesis))).channel
            #expect(channel.configuration.orderers.map(\.address) == ["10.77.0.11:7050", "10.77.0.12:7050", "10.77.0.11:7150"])
            #expect(channel.configuration.orderers.allSatisfy { $0.tlsKeySHA256 != nil })
            #expect(channel.configuration.raft?.electionTicks == 10)

            // Its TLS certificate names its host and its address.
            let tls = try Certificate(pemRepresentation: String(contentsOfFile: configuration.tlsCertificatePath, encoding: .utf8))
            #expect(tls.subjectAlternativeNames.contains(.dnsName("site-a")), "\(tls.subjectAlternativeNames)")
            #expect(tls.subjectAlternativeNames.contains(.ipAddress("10.77.0.11")), "\(tls.subjectAlternativeNames)")
            #expect(tls.subjectAlternativeNames.contains(.dnsName(node.name)))
        }
        let profileText = try String(contentsOf: siteA.appendingPathComponent("profile.yaml"), encoding: .utf8)
        #expect(!profileText.contains("127.0.0.1") && !profileText.contains("identity"))
        #expect(files(under: folder.appendingPathComponent("hosts/site-b")).filter { $0.hasSuffix("key.pem") }.count == 4)

        // The network folder itself is a client's: the profile dials the hosts' addresses.
        let profile = try ConnectionProfile.load(path: folder.appendingPathComponent("profile.yaml").path)
        #expect(profile.peers.map(\.address) == ["10.77.0.11:7051", "10.77.0.12:7051"])
        #expect(profile.identity != nil)

        // A channel added later, on the administrator's machine (docs/deployment.md, "Adding a channel
        // across hosts"): its consenters and anchor peers at the hosts' addresses, Raft's WAN timing.
        let block = scratch.appendingPathComponent("ch2.block")
        let create = try await WeftProcess.run(["channel", "create", "--name", "ch2", "--orgs", "Org1", "--dir", folder.path, "--out", block.path])
        #expect(create.status == 0, "\(create.stderr)")
        let ch2 = try GenesisBlock.check([UInt8](Data(contentsOf: block))).channel.configuration
        #expect(ch2.orderers.map(\.address) == ["10.77.0.11:7050", "10.77.0.12:7050", "10.77.0.11:7150"])
        #expect(ch2.peers.map(\.address) == ["10.77.0.11:7051"])
        #expect(ch2.raft?.electionTicks == 10)
    }

    @Test func refusalsExitOneWithTheReason() async throws {
        let scratch = try scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cases: [(yaml: String, message: String)] = [
            ("orderer0.orderer: {host: a, address: 10.0.0.1}\npeer0.org1: {host: b, address: 10.0.0.2}\nfoo.org1: {host: c, address: 10.0.0.3}",
             "unknown node 'foo.org1'"),
            ("orderer0.orderer: {host: a, address: 10.0.0.1}\npeer0.org1: {host: b, address: 10.0.0.1}", "address 10.0.0.1 is given to two hosts"),
            ("orderer0.orderer: {address: 10.0.0.1}\npeer0.org1: {host: b, address: 10.0.0.2}", "orderer0.orderer has no host"),
            ("orderer0.orderer: {host: a, address: 10.0.0.256}\npeer0.org1: {host: b, address: 10.0.0.2}", "address '10.0.0.256': not an IPv4 address"),
        ]
        for (index, item) in cases.enumerated() {
            let file = scratch.appendingPathComponent("hosts\(index).yaml")
            try item.yaml.write(to: file, atomically: true, encoding: .utf8)
            let folder = scratch.appendingPathComponent("net\(index)")
            let outcome = try await WeftProcess.run(["network", "init", "--dir", folder.path, "--hosts", file.path])
            #expect(outcome.status == 1, "\(item.message): \(outcome.stderr)")
            #expect(outcome.stderr.contains(item.message), "\(outcome.stderr)")
            #expect(outcome.stderr.contains(file.path))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("crypto").path))
        }
        let missing = try await WeftProcess.run(["network", "init", "--dir", scratch.appendingPathComponent("x").path,
                                                 "--hosts", scratch.appendingPathComponent("absent.yaml").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read the hosts file"))
        // --base-port: the same network on this machine's loopback (what the compose file runs), no host folders.
        let file = scratch.appendingPathComponent("hosts.yaml")
        try Self.hostsYAML.write(to: file, atomically: true, encoding: .utf8)
        let loopback = scratch.appendingPathComponent("loopback")
        let local = try await WeftProcess.run(["network", "init", "--dir", loopback.path, "--hosts", file.path, "--base-port", "27150"])
        #expect(local.status == 0, "\(local.stderr)")
        let state = try LocalNetworkState.load(from: loopback)
        #expect(state.nodes.map(\.name) == ["orderer0.orderer", "orderer1.orderer", "orderer2.orderer", "peer0.org1", "peer0.org2"])
        let profile = try ConnectionProfile.load(path: loopback.appendingPathComponent("profile.yaml").path)
        #expect(profile.peers.map(\.address) == ["127.0.0.1:27153", "127.0.0.1:27154"])
        #expect(!FileManager.default.fileExists(atPath: loopback.appendingPathComponent("hosts").path))
    }
}
