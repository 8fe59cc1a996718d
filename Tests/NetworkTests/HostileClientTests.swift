import Foundation
import Identity
import Ledger
import Testing
import WeftClient
import WeftCore
import WeftCrypto
import WeftRPC
import WeftTestSupport
import Wire

/// Hostile clients against real node processes: each gets a refusal or a closed connection, and a
/// well-behaved client keeps being served.
@Suite(.serialized, .timeLimit(.minutes(5))) struct NetworkHostileClientTests {
    @Test func hostileClientsAreRefusedAndOthersKeepBeingServed() async throws {
        // 1,000 idle sockets here and 1,000 in the peer process, which inherits this limit through
        // `weft network up`: raised first, so the test does not depend on the machine's default of 1,024.
        let limit = FileDescriptorLimit.raise(toAtLeast: 4_096)
        try #require(limit >= 2_048, "the open-file limit is \(limit) and cannot be raised (hard limit) for 1,000 connections")
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2) { network in
            let gateway = try network.gateway()
            defer { Task { await gateway.close() } }
            let profile = try network.profile()
            let peerPort = try #require(Int(profile.peers[0].address.split(separator: ":").last ?? ""))
            func stillServed() async throws {
                guard case .info(let info) = try await gateway.query(.info) else { throw GatewayError.protocolError("info") }
                #expect(info.height > 0)
            }

            // The bounds below guard a hang, not a speed: the server closes at once or at its 10 s
            // handshake timeout, and nothing else would close these sockets.
            let garbage = try RawSocket(port: peerPort)
            garbage.send((0..<256).map { UInt8(truncatingIfNeeded: $0 &* 37) })
            #expect(await garbage.isClosedByServer(within: 120), "garbage bytes close the connection")
            try await stillServed()

            let oversized = try RawSocket(port: peerPort)
            oversized.send([0xff, 0xff, 0xff, 0xf0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1])
            #expect(await oversized.isClosedByServer(within: 120), "an oversized frame closes the connection")
            try await stillServed()

            var truncated: RawSocket? = try RawSocket(port: peerPort)
            truncated?.send([0, 0, 1, 0, 0, 1, 0, 0])
            truncated = nil
            try await stillServed()

            var idle: [RawSocket] = []
            for _ in 0..<1000 { idle.append(try RawSocket(port: peerPort)) }
            try await stillServed()
            idle.removeAll()

            // An identity whose certificate no organization of the channel issued.
            let rogueCA = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: "Org1", commonName: "rogue"))
            let key = try P256SigningKey()
            let certificate = try rogueCA.issue(CertificateTemplate(
                subject: DistinguishedName(organization: "Org1", organizationalUnits: ["client"], commonName: "eve"), publicKey: key.publicKey))
            let impostor = try Gateway(
                profile: profile, identity: try SigningIdentity(mspID: "Org1MSP", certificate: certificate, signingKey: key),
                tls: try RPCCredentials(certificate: certificate, privateKey: key))
            await #expect(throws: GatewayError.self) { try await impostor.query(.info) }
            await impostor.close()
            try await stillServed()

            // A client identity calling an orderer-only message is refused; its connection stays usable.
            let clientFolder = URL(fileURLWithPath: try #require(profile.identity))
            let clientTLS = try RPCCredentials.load(
                certificateFile: clientFolder.appendingPathComponent("tls/cert.pem").path,
                keyFile: clientFolder.appendingPathComponent("tls/key.pem").path)
            let orderer = try #require(profile.orderers.first)
            let ordererPort = try #require(Int(orderer.address.split(separator: ":").last ?? ""))
            let connection = try await RPCClient.connect(
                host: "127.0.0.1", port: ordererPort, security: try RPCTransportSecurity(credentials: clientTLS),
                authorizeServer: { certificate in
                    .success(Caller(identity: SerializedIdentity(mspID: "OrdererMSP", certificate: certificate.derRepresentation),
                                    certificate: certificate, role: .orderer))
                })
            do {
                _ = try await connection.call(.raftMessage, [0, 0, 0, 0])
                Issue.record("a client was allowed to send Raft messages")
            } catch {
                #expect((error as? RPCError)?.code == .permissionDenied, "\(error)")
            }
            let status = try await connection.call(.ordererStatus, ChannelRequest(channel: profile.channel, body: []).canonicalBytes)
            #expect(try OrdererStatusReport(canonicalBytes: status).height > 0)
            await connection.close()
        }
    }
}
