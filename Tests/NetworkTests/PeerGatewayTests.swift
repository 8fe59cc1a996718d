import Foundation
import Identity
import Testing
import WeftClient
import WeftCore
import WeftNode
import WeftProtocol
import WeftRPC
import Wire

/// The peer gateway (docs/wire.md, "The peer gateway") on a network of real processes: a client whose
/// profile lists one peer and no orderer submits through it, and the gateway's routes refuse callers
/// that are not the channel's writers and proposals no client signed.
@Suite(.serialized, .timeLimit(.minutes(4))) struct PeerGatewayTests {
    @Test func aClientThatKnowsOnePeerSubmitsAndTheRoutesRefuseOthers() async throws {
        try await LocalNetworkFixture.with(orderers: 1, orgs: 2) { network in
            let profile = try network.profile()
            let peer0 = try #require(profile.peers.first { $0.mspID == "Org1MSP" })
            // One peer, no orderer: every other node is reached by that peer alone.
            var onePeer = profile
            onePeer.peers = [peer0]
            onePeer.orderers = []
            let profilePath = network.folder.appendingPathComponent("one-peer.yaml").path
            try onePeer.yaml().write(toFile: profilePath, atomically: true, encoding: .utf8)
            let identity = network.user("User1@org1", of: "org1")
            let cli = try await WeftProcess.run(["tx", "submit", "--profile", profilePath, "--identity", identity, "--chaincode", "asset-transfer",
                                                 "--function", "CreateAsset", "--args", "gw1", "blue", "5", "alice", "300", "--json"])
            #expect(cli.status == 0, "\(cli.stderr)")
            let gateway = try Gateway(profile: onePeer, identityFolder: identity)
            defer { Task { await gateway.close() } }
            let result = try await gateway.submit(chaincode: "asset-transfer", function: "CreateAsset",
                                                             arguments: ["gw2", "red", "1", "bob", "1"].map { Array($0.utf8) })
            #expect(result.code == .valid)
            // Both organizations endorsed (asset-transfer's policy needs both) and both peers committed it.
            let everyone = try network.gateway()
            defer { Task { await everyone.close() } }
            for peer in profile.peers {
                let status = try await everyone.commitStatus(result.txID, until: .now + .seconds(20), timeout: .seconds(20))
                #expect(status.validationCode == .valid, "\(peer.name)")
                guard case .value(let value?) = try await everyone.query(.state(namespace: "asset-transfer", key: "gw1"), peer: peer.name) else {
                    Issue.record("gw1 is not in \(peer.name)'s state")
                    continue
                }
                #expect(String(decoding: value.value, as: UTF8.self).contains("alice"))
            }

            // A peer is no writer: it may not use another peer's gateway.
            let material = NetworkMaterial(folder: network.folder)
            let peerCredentials = try material.tlsCredentials(of: "peerOrganizations/org2/peers/peer0.org2")
            let endpoint = try #require(Endpoint(peer0.address))
            let anyServer: Authorizer = { certificate in
                .success(Caller(identity: SerializedIdentity(mspID: "?", certificate: certificate.derRepresentation), certificate: certificate, role: .peer))
            }
            let asPeer = try await RPCClient.connect(host: endpoint.host, port: endpoint.port, security: RPCTransportSecurity(credentials: peerCredentials), authorizeServer: anyServer)
            defer { Task { await asPeer.close() } }
            let peerIdentity = try SigningIdentity.load(from: URL(fileURLWithPath: material.folder(of: "peerOrganizations/org2/peers/peer0.org2")))
            let byPeer = try TransactionBuilder(identity: peerIdentity, channelID: "mychannel").proposal(chaincode: "asset-transfer", function: "CreateAsset", ["p1", "red", "1", "x", "1"])
            for type in [MessageType.gatewayEndorse, .gatewaySubmit] {
                let refused = await rpcErrorOf { try await asPeer.call(type, ChannelRequest(channel: "mychannel", body: byPeer.canonicalBytes).canonicalBytes) }
                #expect(refused?.code == .permissionDenied, "\(type): \(String(describing: refused))")
            }
            // A peer may forward a proposal to endorse, but only one a client or admin signed.
            let forwarded = try ProposalResponse(canonicalBytes: try await asPeer.call(.endorse, ChannelRequest(channel: "mychannel", body: byPeer.canonicalBytes).canonicalBytes))
            #expect(forwarded.status == 403 && forwarded.endorsement == nil, "\(forwarded.status) \(forwarded.message)")

            // A malformed proposal to the gateway: refused, naming what is wrong; the gateway keeps serving.
            let client = try await RPCClient.connect(
                host: endpoint.host, port: endpoint.port, security: RPCTransportSecurity(credentials: material.tlsCredentials(of: "peerOrganizations/org1/users/User1@org1")),
                authorizeServer: anyServer)
            defer { Task { await client.close() } }
            let malformed = await rpcErrorOf { try await client.call(.gatewayEndorse, ChannelRequest(channel: "mychannel", body: [1, 2, 3]).canonicalBytes) }
            #expect(malformed?.code == .badRequest && malformed?.message.contains("malformed SignedProposal") == true, "\(String(describing: malformed))")
            let after = try await gateway.submit(chaincode: "asset-transfer", function: "CreateAsset", arguments: ["gw3", "red", "1", "bob", "1"].map { Array($0.utf8) })
            #expect(after.code == .valid)

            // The chaincode's events, filtered by the peer: the three creations, in order.
            let events = try await WeftProcess.run(["query", "events", "--profile", profilePath, "--identity", identity, "--chaincode", "asset-transfer",
                                                    "--count", "3", "--json"], timeout: .seconds(60))
            #expect(events.status == 0, "\(events.stderr)")
            let lines = try events.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            #expect(lines.map { $0["chaincode"] as? String } == Array(repeating: "asset-transfer", count: 3))
            #expect(lines.map { $0["name"] as? String } == Array(repeating: "CreateAsset", count: 3))
            #expect(lines.map { $0["txID"] as? String }.last == after.txID)
            let unknown = try await WeftProcess.run(["query", "events", "--profile", profilePath, "--identity", identity, "--chaincode", "no-such", "--count", "1"],
                                                    timeout: .seconds(3))
            #expect(unknown.stdout.isEmpty, "no event of another chaincode: \(unknown.stdout)")
        }
    }
}
