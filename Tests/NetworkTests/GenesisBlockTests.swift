import Foundation
import Identity
import Testing
import WeftCore
import WeftCrypto
import WeftNode

/// The genesis block: its canonical encoding round-trips, and every malformed or unrunnable block is
/// refused with a precise reason before anything is written.
@Suite struct GenesisBlockTests {
    /// Crypto material for 2 organizations and 3 orderers, and the plan of a network with two channels
    /// (`ch2` only Org1), made once for the suite.
    struct Material {
        let folder: URL
        let plan: LocalNetworkPlan
        var ch1: Block { plan.genesisBlocks[0].block }
        var ch2: Block { plan.genesisBlocks[1].block }
    }

    static let material: Material = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-genesis-\(UUID().uuidString)")
        let generated = try! CryptoMaterialGenerator.generate(.standard(organizations: 2, peers: 1, orderers: 3, users: 1), into: folder)
        var port = 20_000
        let plan = try! LocalNetworkPlan.make(
            material: generated, channels: [.init(name: "ch1"), .init(name: "ch2", organizations: ["Org1"])],
            ports: { port += 1; return port })
        return Material(folder: folder, plan: plan)
    }()

    @Test func theConfigurationRoundTripsAndDerivesTheChannel() throws {
        let checked = try GenesisBlock.check(Self.material.ch1.canonicalBytes)
        let config = checked.channel.config
        #expect(try ChannelConfig(canonicalBytes: config.canonicalBytes) == config)
        #expect(config.name == "ch1")
        #expect(Set(config.organizations.map(\.mspID)) == ["OrdererMSP", "Org1MSP", "Org2MSP"])
        #expect(checked.channel.configuration.orderers.map(\.raftID) == [1, 2, 3])
        #expect(checked.channel.configuration.orderers.allSatisfy { $0.tlsKeySHA256 != nil && $0.signingKeySHA256 != nil })
        #expect(checked.channel.validator.membership.ordererMSPIDs == ["OrdererMSP"])
        let ch2 = try GenesisBlock.check(Self.material.ch2.canonicalBytes).channel
        #expect(Set(ch2.config.organizations.map(\.mspID)) == ["OrdererMSP", "Org1MSP"])
        #expect(Self.material.plan.members["ch2"]?.contains("peer0.org2") == false)
        #expect(Self.material.plan.members["ch2"]?.contains("peer0.org1") == true)
    }

    @Test func malformedBlocksAreRefusedWithTheirReason() throws {
        func reason(_ bytes: [UInt8]) -> String {
            do {
                _ = try GenesisBlock.check(bytes)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(reason([1, 2, 3]).hasPrefix("not a genesis block:"))
        var block = Self.material.ch1
        block.header.number = 1
        #expect(reason(block.canonicalBytes).contains("it is block 1, not block 0"))
        block = Self.material.ch1
        block.data.append([0])
        #expect(reason(block.canonicalBytes).contains("holds 2 entries"))
        block = Self.material.ch1
        block.data[0][block.data[0].count - 5] ^= 0xFF
        #expect(reason(block.canonicalBytes).contains("data hash does not match"))
        // A transaction envelope where the configuration entry belongs.
        let envelope = Block(number: 0, previousHash: BlockHeader.genesisPreviousHash, data: [[0, 0, 0, 3, 1, 2, 3]])
        #expect(reason(envelope.canonicalBytes).contains("the configuration entry does not decode"))
    }

    @Test func unrunnableConfigurationsAreRefused() throws {
        let base = try GenesisBlock.check(Self.material.ch1.canonicalBytes).channel.config
        func reason(_ change: (inout ChannelConfig) -> Void) -> String {
            var config = base
            change(&config)
            do {
                _ = try GenesisBlock.check(GenesisBlock.make(config: config))
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(reason { $0.name = "Bad Name" }.contains("bad channel name"))
        #expect(reason { $0.consenters[1].raftID = $0.consenters[0].raftID }.contains("Raft ids must be distinct"))
        #expect(reason { $0.consenters[0].address = "nowhere" }.contains("is not host:port"))
        #expect(reason { $0.consenters[0].tlsCertificate = $0.consenters[1].signingCertificate }.contains("its TLS certificate is refused"))
        #expect(reason { $0.policies.readers = "ANY(" }.contains("the Readers policy 'ANY(' does not parse"))
        #expect(reason { $0.batch.maxTxCount = 0 }.contains("batch settings"))
        #expect(reason { $0.organizations.removeAll { $0.isOrdererOrganization } }.contains("no organization grants the orderer role"))
        #expect(reason { $0.organizations[1].roles.append("wizard") }.contains("unknown role 'wizard'"))
        #expect(reason { $0.chaincodes.append($0.chaincodes[0]) }.contains("is listed twice"))
    }

    @Test func signaturesMustBeAdministratorsAndVerify() throws {
        let crypto = Self.material.folder
        let admin = try SigningIdentity.load(from: crypto.appendingPathComponent("peerOrganizations/org1/users/Admin@org1"))
        let user = try SigningIdentity.load(from: crypto.appendingPathComponent("peerOrganizations/org1/users/User1@org1"))
        let config = try GenesisBlock.check(Self.material.ch1.canonicalBytes).channel.config
        _ = try GenesisBlock.check(GenesisBlock.make(config: config, signers: [admin]))
        #expect(throws: ChannelRefusal.self) { try GenesisBlock.check(GenesisBlock.make(config: config, signers: [user])) }
        var forged = try ConfigTransaction(config: config, signers: [admin])
        forged.signatures[0].signature[10] ^= 1
        let block = Block(number: 0, previousHash: BlockHeader.genesisPreviousHash, data: [forged.canonicalBytes])
        #expect(throws: ChannelRefusal.self) { try GenesisBlock.check(block) }
    }
}
