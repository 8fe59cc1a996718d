import Foundation
import Testing
import WeftNode
import WeftProtocol
import WeftYAML

/// The records of the network's members in their files: `profile.yaml` as `weft network up` writes it,
/// and a channel's orderer record, which reuses the profile's orderer listing but is still coded as
/// one flat mapping — the same keys and values as before the two shared a type.
@Suite struct TopologyRecordFormatTests {
    static let profileYAML = """
        channel: mychannel
        channels:
        - mychannel
        organizations:
        - crypto/ordererOrganizations/orderer/msp
        - crypto/peerOrganizations/org1/msp
        peers:
        - name: peer0.org1
          address: 127.0.0.1:7051
          mspID: Org1MSP
          operations: 127.0.0.1:9443
        orderers:
        - name: orderer0.orderer
          address: 127.0.0.1:7050
          mspID: OrdererMSP
          operations: 127.0.0.1:9444
        - name: orderer1.orderer
          address: '[::1]:7050'
        identity: crypto/peerOrganizations/org1/users/user1

        """

    @Test func theProfileReadsAndWritesTheSameText() throws {
        var peer = ConnectionProfile.Peer(name: "peer0.org1", address: "127.0.0.1:7051", mspID: "Org1MSP")
        peer.operations = "127.0.0.1:9443"
        var orderer = ConnectionProfile.Orderer(name: "orderer0.orderer", address: "127.0.0.1:7050", mspID: "OrdererMSP")
        orderer.operations = "127.0.0.1:9444"
        var profile = ConnectionProfile(
            channel: "mychannel", organizations: ["crypto/ordererOrganizations/orderer/msp", "crypto/peerOrganizations/org1/msp"],
            peers: [peer], orderers: [orderer, .init(name: "orderer1.orderer", address: "[::1]:7050")],
            identity: "crypto/peerOrganizations/org1/users/user1")
        profile.channels = ["mychannel"]
        #expect(try profile.yaml() == Self.profileYAML)
        #expect(try YAMLDecoder().decode(ConnectionProfile.self, from: Self.profileYAML) == profile)
        #expect(profile.ordererMSPIDs == nil)   // orderer1 names no organization
    }

    @Test func aChannelOrdererIsOneFlatMapping() throws {
        let text = """
            {name: orderer0.orderer, address: 127.0.0.1:7050, raftID: 1, mspID: OrdererMSP,
             tlsKeySHA256: 053e04, signingKeySHA256: d09575}
            """
        let orderer = try YAMLDecoder().decode(ChannelConfiguration.Orderer.self, from: text)
        #expect(orderer == ChannelConfiguration.Orderer(
            ConnectionProfile.Orderer(name: "orderer0.orderer", address: "127.0.0.1:7050", mspID: "OrdererMSP"),
            raftID: 1, tlsKeySHA256: "053e04", signingKeySHA256: "d09575"))
        #expect(orderer.name == "orderer0.orderer" && orderer.address == "127.0.0.1:7050" && orderer.mspID == "OrdererMSP")
        // The keys and values the record had as a struct of its own (synthesized Codable, sorted keys).
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(orderer), as: UTF8.self)
                == #"{"address":"127.0.0.1:7050","mspID":"OrdererMSP","name":"orderer0.orderer","raftID":1,"signingKeySHA256":"d09575","tlsKeySHA256":"053e04"}"#)
        #expect(try YAMLDecoder().decode(ChannelConfiguration.Orderer.self, from: try YAMLEncoder().encode(orderer)) == orderer)
        // Without pins or organization, and a record without a Raft id is refused.
        let bare = try YAMLDecoder().decode(ChannelConfiguration.Orderer.self, from: "{name: o, address: 'o:7050', raftID: 2}")
        #expect(bare == ChannelConfiguration.Orderer(ConnectionProfile.Orderer(name: "o", address: "o:7050"), raftID: 2))
        #expect(throws: (any Error).self) { try YAMLDecoder().decode(ChannelConfiguration.Orderer.self, from: "{name: o, address: 'o:7050'}") }
    }
}
