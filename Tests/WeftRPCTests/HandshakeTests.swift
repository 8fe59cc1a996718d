import NIOCore
import Testing
import WeftCore
import WeftCrypto
@testable import WeftRPC
import Wire

@Suite struct HandshakeTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    @Test func bothSidesLearnTheOthersIdentity() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server, mspID: "Org2MSP", role: "peer")
            #expect(client.server.mspID == "OrdererMSP")
            #expect(client.server.role == "orderer")
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

    @Test func unknownOrganizationIsRefusedAndClosed() async throws {
        let outsiders = try TestNetwork(mspIDs: ["EvilMSP"])
        try await withServer(network, routes: standardRoutes()) { server in
            let credentials = try outsiders.credentials("EvilMSP", role: "client")
            let error = await rpcError {
                try await RPCClient.connect(
                    host: "127.0.0.1", port: server.port, credentials: credentials,
                    authorizeServer: network.authorizer, logger: TestNetwork.quietLogger
                )
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("EvilMSP is not a member of this network") == true)
            try await expectServing(server, network)
        }
    }

    @Test func certificateFromAnotherCAUnderAKnownMSPIDIsRefused() async throws {
        // An impostor claims Org1MSP with a certificate from its own CA.
        let impostorNetwork = try TestNetwork(mspIDs: ["Org1MSP"])
        try await withServer(network, routes: standardRoutes()) { server in
            let credentials = try impostorNetwork.credentials("Org1MSP", role: "admin")
            let error = await rpcError {
                try await RPCClient.connect(
                    host: "127.0.0.1", port: server.port, credentials: credentials,
                    authorizeServer: network.authorizer, logger: TestNetwork.quietLogger
                )
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("does not chain to Org1MSP's CA") == true)
        }
    }

    @Test func badSignatureIsRefusedAndClosed() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let raw = try await RawConnection.open(port: server.port)
            let answer = try await raw.handshake(as: try network.credentials("Org1MSP", role: "client"), corruptSignature: true)
            #expect(answer?.kind == .error)
            let error = answer.map { RPCError(errorFrameBody: $0.body) }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("does not verify") == true)
            #expect(await raw.isClosed(within: .seconds(30)))
            try await expectServing(server, network)
        }
    }

    @Test func signatureReplayedFromAnotherIdentityIsRefused() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            // The proof names one identity but carries a valid signature by another key.
            let honest = try network.credentials("Org1MSP", role: "client")
            let other = try network.credentials("Org1MSP", role: "admin")
            let raw = try await RawConnection.open(port: server.port)
            guard let helloFrame = await raw.nextFrame() else { Issue.record("no hello"); return }
            let hello = try ServerHello(canonicalBytes: helloFrame.body)
            let challenge = Array(repeating: UInt8(1), count: 32)
            let transcript = HandshakeTranscript(
                serverChallenge: hello.challenge, serverIdentity: hello.identity, clientChallenge: challenge, clientIdentity: other.identity
            )
            let proof = ClientProof(identity: other.identity, challenge: challenge, signature: try honest.sign(transcript.clientSignedBytes))
            try await raw.send(Frame(type: .clientProof, requestID: 0, kind: .request, body: proof.canonicalBytes))
            let answer = await raw.nextFrame()
            #expect(answer.map { RPCError(errorFrameBody: $0.body).code } == .unauthenticated)
            #expect(await raw.isClosed(within: .seconds(30)))
        }
    }

    @Test func rawHandshakeThenCallWorks() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let raw = try await RawConnection.open(port: server.port)
            let answer = try await raw.handshake(as: try network.credentials("Org1MSP", role: "client"))
            #expect(answer?.messageType == .serverProof)
            try await raw.send(Frame(type: .evaluate, requestID: 77, kind: .request, body: [1, 2]))
            let response = await raw.nextFrame()
            #expect(response == Frame(type: .evaluate, requestID: 77, kind: .response, body: [1, 2]))
            await raw.close()
        }
    }

    @Test func clientRefusesAServerItDoesNotTrust() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let error = await rpcError {
                try await RPCClient.connect(
                    host: "127.0.0.1", port: server.port, credentials: try network.credentials("Org1MSP", role: "client"),
                    authorizeServer: { identity, _ in .failure(AuthorizationRefusal("expected a peer of Org2MSP, got \(identity.mspID)")) },
                    logger: TestNetwork.quietLogger
                )
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("expected a peer of Org2MSP, got OrdererMSP") == true)
            try await expectServing(server, network)
        }
    }

    @Test func requestBeforeHandshakeIsRefusedAndClosed() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let raw = try await RawConnection.open(port: server.port)
            #expect(await raw.nextFrame()?.messageType == .serverHello)
            try await raw.send(Frame(type: .evaluate, requestID: 5, kind: .request, body: [1]))
            let (frames, closed) = await raw.framesUntilClosed()
            #expect(closed)
            #expect(frames.count == 1 && frames.first?.kind == .error && frames.first?.requestID == 5)
            #expect(frames.first.map { RPCError(errorFrameBody: $0.body).code } == .unauthenticated)
            try await expectServing(server, network)
        }
    }

    @Test func silentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        let configuration = RPCServerConfiguration(handshakeTimeout: .milliseconds(200))
        try await withServer(network, routes: standardRoutes(), configuration: configuration) { server in
            let raw = try await RawConnection.open(port: server.port)
            let (frames, closed) = await raw.framesUntilClosed(limit: .seconds(30))
            #expect(closed)
            #expect(frames.map(\.kind) == [.request, .error])
            #expect(frames.last.map { RPCError(errorFrameBody: $0.body).message } == "no handshake within 0.2 s")
        }
    }

    @Test func credentialsRejectAKeyThatIsNotTheCertificates() throws {
        let good = try network.credentials("Org1MSP", role: "client")
        #expect(throws: RPCError.self) {
            try RPCCredentials(mspID: "Org1MSP", certificate: good.certificate, signingKey: try P256SigningKey())
        }
    }
}

/// A well-behaved client can still connect and call.
func expectServing(_ server: RPCServer, _ network: TestNetwork, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let client = try await network.connect(to: server)
    let echoed = try await client.call(.ping, [42])
    #expect(echoed == [42], sourceLocation: sourceLocation)
    await client.close()
}
