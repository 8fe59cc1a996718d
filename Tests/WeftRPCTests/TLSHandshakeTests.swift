import Foundation
import NIOCore
import NIOSSL
import Testing
import WeftCore
import WeftCrypto
@testable import WeftRPC
import Wire

/// Mutual TLS on every connection: who gets in, who is refused, what each side learns of the other,
/// and what the server logs. Every refusal leaves the server serving others.
@Suite struct TLSHandshakeTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    @Test func bothSidesLearnTheOthersIdentityFromTheirTLSCertificates() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server, mspID: "Org2MSP", role: "peer")
            #expect(client.server.mspID == "OrdererMSP")
            #expect(client.server.role == .orderer)
            #expect(client.endpoint == "127.0.0.1:\(server.port)")
            let seen = String(decoding: try await client.call(.ledgerQuery, []), as: UTF8.self)
            #expect(seen == "Org2MSP/peer/peer.Org2MSP")
            await client.close()
        }
    }

    @Test func roleCheckRefusesTheCallAndKeepsTheConnection() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server, mspID: "Org1MSP", role: "client")
            let error = await rpcError { try await client.call(.broadcast, []) }
            #expect(error?.code == .permissionDenied)
            #expect(error?.message == "broadcast requires role orderer; Org1MSP identity has role client")
            #expect(try await client.call(.evaluate, [4]) == [4])
            let orderer = try await network.connect(to: server, mspID: "OrdererMSP", role: "orderer")
            #expect(try await orderer.call(.broadcast, []) == Array("orderer".utf8))
            await orderer.close()
            await client.close()
        }
    }

    @Test func certificateOfAnUnknownTLSCAIsRefusedWithALogLine() async throws {
        let outsiders = try TestNetwork(mspIDs: ["EvilMSP"])
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), logger: logger) { server in
            let error = await rpcError {
                try await RPCClient.connect(
                    host: "127.0.0.1", port: server.port, security: try outsiders.security("EvilMSP", role: "client"),
                    authorizeServer: network.authorizer, logger: TestNetwork.quietLogger)
            }
            #expect(error?.code == .unauthenticated)
            let line = log.all.first { $0.contains("refusing connection") }
            #expect(line?.contains("is not the TLS CA of a member of this network") == true, "\(log.all)")
            #expect(line?.contains("remote=127.0.0.1:") == true)
            try await expectServing(server, network)
        }
    }

    @Test func clientWithoutACertificateIsRefused() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), logger: logger) { server in
            let raw = try await RawConnection.open(port: server.port, mode: .tls(nil))
            try? await raw.send(Frame(type: .ping, requestID: 1, kind: .request, body: [1]))
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed && frames.isEmpty)
            try await waitForLogLine(log) { $0.contains("refusing connection: TLS handshake failed") }
            #expect(log.all.contains { $0.contains("no client certificate") || $0.contains("certificate") }, "\(log.all)")
            try await expectServing(server, network)
        }
    }

    @Test func plaintextClientIsRefusedWithALogLine() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), logger: logger) { server in
            let raw = try await RawConnection.open(port: server.port, mode: .plaintext)
            try await raw.send(Frame(type: .evaluate, requestID: 5, kind: .request, body: [1]))
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            #expect(frames.isEmpty, "nothing readable goes back to a plaintext client")
            try await waitForLogLine(log) { $0.contains("does not speak TLS") }
            try await expectServing(server, network)
        }
    }

    @Test func tlsClientHelloFollowedByGarbageIsRefused() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            // A TLS 1.3 ClientHello record header with a body of garbage.
            let raw = try await RawConnection.open(port: server.port, mode: .plaintext)
            try await raw.send([0x16, 0x03, 0x01, 0x00, 0x40] + Array(repeating: 0xEE, count: 64))
            #expect(await raw.isClosed(within: .seconds(30)))
            try await expectServing(server, network)
        }
    }

    @Test func expiredClientCertificateIsRefused() async throws {
        let expired = try network.credentials(
            "Org1MSP", role: "client", notBefore: Date().addingTimeInterval(-7200), notAfter: Date().addingTimeInterval(-3600))
        try await withServer(network, routes: standardRoutes()) { server in
            let error = await rpcError {
                try await RPCClient.connect(
                    host: "127.0.0.1", port: server.port, security: try RPCTransportSecurity(credentials: expired),
                    authorizeServer: network.authorizer, logger: TestNetwork.quietLogger)
            }
            #expect(error?.code == .unauthenticated)
            try await expectServing(server, network)
        }
    }

    @Test func tls12IsRefusedByDefaultAndAcceptedWhenAllowed() async throws {
        let client = try network.credentials("Org1MSP", role: "client")
        try await withServer(network, routes: standardRoutes()) { server in
            let raw = try await RawConnection.open(port: server.port, mode: .tls(client, version: .tlsv12))
            #expect(await raw.isClosed(within: .seconds(30)))
        }
        let lenient = try network.security("OrdererMSP", role: "orderer", allowsTLS12: true)
        try await withServer(network, routes: standardRoutes(), security: lenient) { server in
            let raw = try await RawConnection.open(port: server.port, mode: .tls(client, version: .tlsv12))
            try await raw.send(Frame(type: .ping, requestID: 3, kind: .request, body: [9]))
            #expect(await raw.nextFrame() == Frame(type: .ping, requestID: 3, kind: .response, body: [9]))
            await raw.close()
        }
    }

    @Test func clientRefusesAServerItDoesNotTrust() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let error = await rpcError {
                try await RPCClient.connect(
                    host: "127.0.0.1", port: server.port, security: try network.security("Org1MSP", role: "client"),
                    authorizeServer: { certificate in .failure(AuthorizationRefusal("expected a peer of Org2MSP, got \(certificate.subject)")) },
                    logger: TestNetwork.quietLogger)
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("expected a peer of Org2MSP") == true)
            try await expectServing(server, network)
        }
    }

    @Test func serverCertificateMustNameTheNodeAndTheHost() async throws {
        let peer = try network.security("Org2MSP", role: "peer", name: "peer0.org2")
        try await withServer(network, routes: standardRoutes(), security: peer) { server in
            let wrongNode = await rpcError {
                try await RPCClient.connect(
                    host: "127.0.0.1", port: server.port, security: try network.security("Org1MSP", role: "client"),
                    serverName: "peer0.org1", authorizeServer: network.authorizer, logger: TestNetwork.quietLogger)
            }
            #expect(wrongNode?.code == .unauthenticated)
            #expect(wrongNode?.message.contains("TLS certificate of 'peer0.org2' does not match the host name") == true, "\(String(describing: wrongNode))")
            let named = try await RPCClient.connect(
                host: "127.0.0.1", port: server.port, security: try network.security("Org1MSP", role: "client"),
                serverName: "peer0.org2", authorizeServer: network.authorizer, logger: TestNetwork.quietLogger)
            #expect(named.server.certificate.subject.commonName == "peer0.org2")
            await named.close()
        }
        let elsewhere = try RPCTransportSecurity(credentials: network.credentials("OrdererMSP", role: "orderer", hosts: ["orderer0.example"]))
        try await withServer(network, routes: standardRoutes(), security: elsewhere) { server in
            let error = await rpcError { try await network.connect(to: server) }
            #expect(error?.message.contains("does not name the host 127.0.0.1") == true, "\(String(describing: error))")
        }
    }

    @Test func silentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        let configuration = RPCServerConfiguration(handshakeTimeout: .milliseconds(200))
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(network, routes: standardRoutes(), configuration: configuration, logger: logger) { server in
            let raw = try await RawConnection.open(port: server.port, mode: .plaintext)
            #expect(await raw.isClosed(within: .seconds(30)))
            try await waitForLogLine(log) { $0.contains("no TLS handshake within 0.2 s") }
        }
    }

    @Test func rotatedCertificateIsUsedForNewConnectionsWhileOldOnesStayOpen() async throws {
        let security = try network.security("OrdererMSP", role: "orderer", name: "orderer0")
        try await withServer(network, routes: standardRoutes(), security: security) { server in
            let before = try await network.connect(to: server)
            let renewed = try network.credentials("OrdererMSP", role: "orderer", name: "orderer0")
            try server.security.replace(renewed)
            let after = try await network.connect(to: server)
            #expect(after.server.certificate == renewed.certificate)
            #expect(before.server.certificate != renewed.certificate)
            #expect(try await before.call(.ping, [1]) == [1])
            #expect(try await after.call(.ping, [2]) == [2])
            await before.close()
            await after.close()
        }
    }

    @Test func credentialsRejectAKeyThatIsNotTheCertificates() throws {
        let good = try network.credentials("Org1MSP", role: "client")
        #expect(throws: RPCError.self) {
            try RPCCredentials(certificate: good.certificate, privateKey: try P256SigningKey())
        }
    }
}

/// Waits (bounded) until a log line satisfying `matches` was recorded; records an issue otherwise.
func waitForLogLine(
    _ log: RecordingLogHandler.Lines, sourceLocation: SourceLocation = #_sourceLocation, _ matches: (String) -> Bool
) async throws {
    for _ in 0..<600 where !log.all.contains(where: matches) { try await Task.sleep(for: .milliseconds(50)) }
    let found = log.all.contains(where: matches)
    #expect(found, "no such log line in \(log.all)", sourceLocation: sourceLocation)
}

/// A well-behaved client can still connect and call.
func expectServing(_ server: RPCServer, _ network: TestNetwork, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let client = try await network.connect(to: server)
    let echoed = try await client.call(.ping, [42])
    #expect(echoed == [42], sourceLocation: sourceLocation)
    await client.close()
}
