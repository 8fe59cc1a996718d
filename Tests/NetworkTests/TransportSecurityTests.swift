import Foundation
import Identity
import Raft
import Testing
import WeftClient
import WeftCore
import WeftCrypto
import WeftNode
import WeftRPC
import Wire

/// Mutual TLS and roles bound to organizations, against real node processes of `weft network up`:
/// independent TLS clients (openssl, Python) get in with a member's certificate and are refused
/// without one; nothing readable crosses the wire; forged orderers and consenters speaking for others
/// are refused; certificates rotate under load without losing a transaction.
@Suite(.serialized, .timeLimit(.minutes(6))) struct TransportSecurityTests {
    @Test func independentTLSClientsAndWhatCrossesTheWire() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2) { network in
            let material = NetworkMaterial(folder: network.folder)
            let profile = try network.profile()
            try opensslGetsInOnlyWithACertificate(material, profile)
            try pythonSpeaksTheFrameProtocol(material, profile)
            try await nothingReadableCrossesTheWire(network, profile)
        }
    }

    @Test func forgedOrderersAndConsentersSpeakingForOthersAreRefused() async throws {
        try await LocalNetworkFixture.with(orderers: 3, orgs: 2) { network in
            let material = NetworkMaterial(folder: network.folder)
            let profile = try network.profile()
            let orderer0 = try #require(profile.orderers.first { $0.name == "orderer0.orderer" })
            let port = try #require(Endpoint(orderer0.address)?.port)
            let anyServer: Authorizer = { certificate in
                .success(Caller(identity: SerializedIdentity(mspID: "?", certificate: certificate.derRepresentation),
                                certificate: certificate, role: .orderer))
            }

            // Org1's admin mints O=Org1, OU=orderer, CN=orderer0.orderer with Org1's own TLS CA.
            let forged = try material.issue(byTLSCAOf: "peerOrganizations/org1", role: "orderer", name: "orderer0.orderer")
            let refused = await rpcErrorOf {
                try await RPCClient.connect(host: "127.0.0.1", port: port, security: RPCTransportSecurity(credentials: forged),
                                            authorizeServer: anyServer)
            }
            #expect(refused?.code == .unauthenticated, "\(String(describing: refused))")

            // An orderer-organization certificate that is not a consenter: connects, but every
            // orderer-to-orderer route refuses it.
            let stranger = try material.issue(byTLSCAOf: "ordererOrganizations/orderer", role: "orderer", name: "orderer9.orderer")
            let strangerClient = try await RPCClient.connect(
                host: "127.0.0.1", port: port, security: RPCTransportSecurity(credentials: stranger), authorizeServer: anyServer)
            for type in [MessageType.raftMessage, .forwardEnvelope, .fetchBlocks, .configBlock] {
                let body = type == .raftMessage ? raftBatch(from: 2, to: 1) : type == .fetchBlocks ? FetchBlocks(start: 0, maxCount: 1).canonicalBytes : [1]
                let error = await rpcErrorOf { try await strangerClient.call(type, ChannelRequest(channel: "mychannel", body: body).canonicalBytes) }
                #expect(error?.code == .permissionDenied, "\(type): \(String(describing: error))")
            }
            await strangerClient.close()

            // orderer1 (Raft id 2), with its real TLS key, may speak for itself but not for Raft id 3.
            let orderer1 = try material.tlsCredentials(of: "ordererOrganizations/orderer/orderers/orderer1.orderer")
            let consenter = try await RPCClient.connect(
                host: "127.0.0.1", port: port, security: RPCTransportSecurity(credentials: orderer1), authorizeServer: anyServer)
            let impersonation = await rpcErrorOf { try await consenter.call(.raftMessage, ChannelRequest(channel: "mychannel", body: raftBatch(from: 3, to: 1)).canonicalBytes) }
            #expect(impersonation?.code == .permissionDenied)
            #expect(impersonation?.message.contains("may not speak for Raft node 3") == true, "\(String(describing: impersonation))")
            _ = try await consenter.call(.raftMessage, ChannelRequest(channel: "mychannel", body: raftBatch(from: 2, to: 1)).canonicalBytes)
            // A consenter gets the configuration in force (here still the genesis block's).
            let configuration = try Block(canonicalBytes: try await consenter.call(.configBlock, ChannelRequest(channel: "mychannel", body: []).canonicalBytes))
            #expect(configuration.number == 0 && configuration.configurationEntry != nil)
            await consenter.close()

            // The network still orders and commits.
            let gateway = try network.gateway()
            let result = try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                  arguments: ["after-attack", "red", "1", "eve", "1"].map { Array($0.utf8) })
            #expect(result.code == .valid)
            await gateway.close()
        }
    }

    @Test func tlsRotationUnderLoadLosesNoTransaction() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2) { network in
            let gateway = try network.gateway()
            let profile = try network.profile()
            var results: [SubmitResult] = []
            try await withThrowingTaskGroup(of: SubmitResult.self) { group in
                for index in 0..<60 {
                    if index >= 8, let done = try await group.next() { results.append(done) }
                    if index == 20 {
                        for node in ["peer0.org1", "peer0.org2", "orderer0.orderer"] {
                            let renewed = try await WeftProcess.run(["crypto", "renew", "--dir", network.dir, "--node", node])
                            #expect(renewed.status == 0, "\(renewed.stderr)")
                        }
                    }
                    group.addTask {
                        try await gateway.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                                 arguments: ["rot\(index)", "red", "1", "bob", "1"].map { Array($0.utf8) })
                    }
                }
                for try await done in group { results.append(done) }
            }
            await gateway.close()
            #expect(results.count == 60 && results.allSatisfy { $0.code == .valid })

            // New connections see the renewed certificate (the nodes reload within about a second).
            let material = NetworkMaterial(folder: network.folder)
            let renewed = try material.tlsCredentials(of: "peerOrganizations/org1/peers/peer0.org1").certificate
            let peer = try #require(profile.peers.first { $0.name == "peer0.org1" })
            let port = try #require(Endpoint(peer.address)?.port)
            let user = try material.tlsCredentials(of: "peerOrganizations/org1/users/User1@org1")
            var seen: Certificate?
            for _ in 0..<100 {
                let client = try await RPCClient.connect(
                    host: "127.0.0.1", port: port, security: RPCTransportSecurity(credentials: user),
                    authorizeServer: { certificate in
                        .success(Caller(identity: SerializedIdentity(mspID: "Org1MSP", certificate: certificate.derRepresentation),
                                        certificate: certificate, role: .peer))
                    })
                seen = client.server.certificate
                await client.close()
                if seen == renewed { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(seen == renewed, "peer0.org1 still presents its old TLS certificate")
            let fresh = try network.gateway()
            #expect(try await fresh.submitDirect(chaincode: "asset-transfer", function: "CreateAsset",
                                           arguments: ["after-rotation", "red", "1", "bob", "1"].map { Array($0.utf8) }).code == .valid)
            await fresh.close()
        }
    }

    // MARK: Steps

    private func opensslGetsInOnlyWithACertificate(_ material: NetworkMaterial, _ profile: ConnectionProfile) throws {
        guard let openssl = ExternalProcess.find("openssl") else {
            Issue.record("openssl is not installed (.ci/run installs it)")
            return
        }
        let user = material.folder(of: "peerOrganizations/org1/users/User1@org1")
        let targets: [(address: String, tlsCA: String)] = [
            (profile.peers[0].address, material.tlsCAFile(of: "peerOrganizations/org1")),
            (profile.orderers[0].address, material.tlsCAFile(of: "ordererOrganizations/orderer")),
        ]
        for target in targets {
            let with = try ExternalProcess.run(openssl, [
                "s_client", "-connect", target.address, "-tls1_3", "-cert", "\(user)/tls/cert.pem", "-key", "\(user)/tls/key.pem",
                "-CAfile", target.tlsCA,
            ])
            #expect(with.output.contains("Verify return code: 0 (ok)"), "\(with.output)")
            #expect(with.output.contains("TLSv1.3"))
            let without = try ExternalProcess.run(openssl, [
                "s_client", "-connect", target.address, "-tls1_3", "-CAfile", target.tlsCA, "-ign_eof",
            ], timeout: 30)
            #expect(without.output.contains("alert certificate required") || without.output.contains("alert handshake failure"),
                    "without -cert the server must refuse the handshake: \(without.output)")
        }
    }

    private func pythonSpeaksTheFrameProtocol(_ material: NetworkMaterial, _ profile: ConnectionProfile) throws {
        guard let python = ExternalProcess.find("python3") else {
            Issue.record("python3 is not installed")
            return
        }
        let user = material.folder(of: "peerOrganizations/org1/users/User1@org1")
        let orderer = try #require(Endpoint(profile.orderers[0].address))
        let script = """
        import socket, ssl, struct, sys
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.load_verify_locations(sys.argv[3])
        context.load_cert_chain(sys.argv[4], sys.argv[5])
        def frame(kind_type, request, kind, body):
            return struct.pack(">IHQB", 11 + len(body), kind_type, request, kind) + body
        def read(sock, n):
            data = b""
            while len(data) < n:
                chunk = sock.recv(n - len(data))
                if not chunk: raise SystemExit("connection closed")
                data += chunk
            return data
        with socket.create_connection((sys.argv[1], int(sys.argv[2]))) as raw:
            with context.wrap_socket(raw, server_hostname=sys.argv[1]) as tls:
                tls.sendall(frame(310, 7, 1, b"weft from python"))
                length, kind_type, request, kind = struct.unpack(">IHQB", read(tls, 15))
                body = read(tls, length - 11)
                assert (kind_type, request, kind, body) == (310, 7, 2, b"weft from python"), (kind_type, request, kind, body)
                channel = b"mychannel"   # ChannelRequest: the channel (u32-prefixed), then the empty status body
                tls.sendall(frame(102, 8, 1, struct.pack(">I", len(channel)) + channel + struct.pack(">I", 0)))
                length, kind_type, request, kind = struct.unpack(">IHQB", read(tls, 15))
                body = read(tls, length - 11)
                assert (kind_type, request, kind) == (102, 8, 2) and len(body) >= 16, (kind_type, request, kind, body)
                print("ok", tls.version(), struct.unpack(">Q", body[8:16])[0])
        """
        let outcome = try ExternalProcess.run(python, [
            "-c", script, orderer.host, "\(orderer.port)", material.tlsCAFile(of: "ordererOrganizations/orderer"),
            "\(user)/tls/cert.pem", "\(user)/tls/key.pem",
        ])
        #expect(outcome.status == 0 && outcome.output.hasPrefix("ok TLSv1.3"), "\(outcome.output)")
    }

    private func nothingReadableCrossesTheWire(_ network: LocalNetworkFixture, _ profile: ConnectionProfile) async throws {
        var relayed = profile
        var relays: [RecordingRelay] = []
        for index in relayed.peers.indices {
            let relay = try await RecordingRelay.start(to: try #require(Endpoint(relayed.peers[index].address)?.port))
            relays.append(relay)
            relayed.peers[index].address = "127.0.0.1:\(relay.port)"
        }
        for index in relayed.orderers.indices {
            let relay = try await RecordingRelay.start(to: try #require(Endpoint(relayed.orderers[index].address)?.port))
            relays.append(relay)
            relayed.orderers[index].address = "127.0.0.1:\(relay.port)"
        }
        let profileFile = network.folder.appendingPathComponent("relayed-profile.yaml")
        try relayed.yaml().write(to: profileFile, atomically: true, encoding: .utf8)
        let outcome = try await WeftProcess.run([
            "tx", "submit", "--profile", profileFile.path, "--identity", try #require(profile.identity), "--chaincode", "asset-transfer",
            "--function", "CreateAsset", "--args", "some-key-4242", "chartreuse", "5", "mallory", "300",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let captured = relays.flatMap(\.bytes)
        for relay in relays { await relay.stop() }
        #expect(captured.count > 2_000, "the relays saw the traffic (\(captured.count) bytes)")
        for secret in ["some-key-4242", "chartreuse", "mallory", "CreateAsset"] {
            #expect(!contains(captured, Array(secret.utf8)), "\(secret) crossed the wire in clear")
        }
    }

    private func raftBatch(from: UInt64, to: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.write([Message(from: from, to: to, term: 0, body: .heartbeatResponse)])
        return writer.bytes
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start] == needle[0] && Array(haystack[start..<start + needle.count]) == needle
        }
    }
}

/// The crypto material of a local network folder (docs/crypto-layout.md).
struct NetworkMaterial {
    let folder: URL

    func folder(of relative: String) -> String { folder.appendingPathComponent("crypto/\(relative)").path }

    /// The TLS CA certificate of the organization at `organization` (e.g. `peerOrganizations/org1`).
    func tlsCAFile(of organization: String) -> String {
        let tlsca = URL(fileURLWithPath: folder(of: organization)).appendingPathComponent("tlsca")
        let name = ((try? FileManager.default.contentsOfDirectory(atPath: tlsca.path)) ?? []).first { $0.hasSuffix(".pem") } ?? "missing.pem"
        return tlsca.appendingPathComponent(name).path
    }

    func tlsCredentials(of identity: String) throws -> RPCCredentials {
        try RPCCredentials.load(certificateFile: "\(folder(of: identity))/tls/cert.pem", keyFile: "\(folder(of: identity))/tls/key.pem")
    }

    /// A TLS certificate issued with the TLS CA key of `organization`, as its administrator could.
    func issue(byTLSCAOf organization: String, role: String, name: String) throws -> RPCCredentials {
        let certificateFile = tlsCAFile(of: organization)
        let keyFile = certificateFile.replacingOccurrences(of: ".pem", with: ".key")
        let authority = try CertificateAuthority(
            certificate: Certificate(pemRepresentation: String(contentsOfFile: certificateFile, encoding: .utf8)),
            signingKey: P256SigningKey(pemRepresentation: String(contentsOfFile: keyFile, encoding: .utf8)))
        let key = try P256SigningKey()
        let certificate = try authority.issue(CertificateTemplate(
            subject: DistinguishedName(organization: authority.certificate.subject.organization ?? "?", organizationalUnits: [role], commonName: name),
            publicKey: key.publicKey, subjectAlternativeNames: [.init(host: "127.0.0.1")]))
        return try RPCCredentials(certificate: certificate, privateKey: key)
    }
}

/// The `RPCError` `body` throws, or nil (recording an issue) when it throws something else or nothing.
func rpcErrorOf<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T) async -> RPCError? {
    do {
        _ = try await body()
        Issue.record("expected an RPCError, got success", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        return error
    } catch {
        Issue.record("expected an RPCError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
