import Foundation
import Identity
import Testing
import WeftCore
import WeftCrypto
@testable import WeftNode

/// Configuration updates as every node checks them (docs/governance.md): the Admins policy of the
/// configuration in force, the version they replace, who signed, and changes that would cost the
/// orderers their quorum — each refusal with its reason.
@Suite struct ConfigUpdateCheckTests {
    struct Fixture {
        let material: CryptoMaterial
        let channel: ChannelContext

        func admin(_ mspID: String) throws -> SigningIdentity { try identity(mspID, role: .admin) }

        func identity(_ mspID: String, role: Role) throws -> SigningIdentity {
            let organization = try #require(material.organization(mspID))
            let identity = try #require(organization.identities.first { $0.role == role })
            return try SigningIdentity.load(from: URL(fileURLWithPath: material.directory).appendingPathComponent(identity.path))
        }

        /// An update by `edits`, signed by the admins of `signers`.
        func update(_ edits: [ChannelConfigEdit], signedBy signers: [String]) throws -> ConfigTransaction {
            var update = try ChannelConfigEdit.update(of: channel.config, by: edits)
            for mspID in signers { try update.sign(by: try admin(mspID)) }
            return update
        }
    }

    static let fixture: Fixture = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-update-\(UUID().uuidString)")
        let material = try! CryptoMaterialGenerator.generate(.standard(organizations: 2, peers: 1, orderers: 3, users: 1), into: folder)
        var port = 21_000
        let plan = try! LocalNetworkPlan.make(material: material, channels: [.init(name: "gov")], ports: { port += 1; return port })
        return Fixture(material: material, channel: try! GenesisBlock.check(plan.genesisBlocks[0].block).channel)
    }()

    func reason(_ update: ConfigTransaction) -> String {
        do {
            _ = try Self.fixture.channel.checkUpdate(update)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func aMajorityOfAdministratorsPutsTheNextVersionInForce() throws {
        let fixture = Self.fixture
        let update = try fixture.update([.set(key: "batch.maxTxCount", value: "7")], signedBy: ["Org1MSP", "Org2MSP"])
        let next = try fixture.channel.checkUpdate(update)
        #expect(next.config.sequence == 1)
        #expect(next.config.batch.maxTxCount == 7)
        #expect(next.configuration.batch?.maxTxCount == 7)
        #expect(next.genesis.header.hash == fixture.channel.genesis.header.hash)
        // The file form round-trips, signatures included.
        #expect(try ConfigTransaction(canonicalBytes: update.canonicalBytes) == update)
    }

    @Test func tooFewOrForeignSignaturesAreRefused() throws {
        let fixture = Self.fixture
        let edit = [ChannelConfigEdit.set(key: "batch.maxTxCount", value: "7")]
        #expect(reason(try fixture.update(edit, signedBy: [])).contains("update not authorized: signed by administrators of no organization"))
        let one = reason(try fixture.update(edit, signedBy: ["Org1MSP"]))
        #expect(one.contains("signed by administrators of Org1MSP of 3 organizations; the Admins policy 'MAJORITY admin' needs more"), "\(one)")
        // Signing twice counts once.
        var twice = try fixture.update(edit, signedBy: ["Org1MSP"])
        try twice.sign(by: try fixture.admin("Org1MSP"))
        #expect(twice.signatures.count == 1)
        // A client's signature, and a signature over other bytes.
        var byClient = try fixture.update(edit, signedBy: ["Org1MSP"])
        try byClient.sign(by: try fixture.identity("Org2MSP", role: .client))
        #expect(reason(byClient).contains("configuration signature refused: Org2MSP"), "\(reason(byClient))")
        var forged = try fixture.update(edit, signedBy: ["Org1MSP", "Org2MSP"])
        forged.signatures[1].signature[8] ^= 0x01
        #expect(reason(forged).contains("does not verify"), "\(reason(forged))")
    }

    @Test func staleAndForeignUpdatesAreRefused() throws {
        let fixture = Self.fixture
        var config = fixture.channel.config
        config.sequence = 5
        config.batch.maxTxCount = 9
        var stale = ConfigTransaction(configBytes: config.canonicalBytes, signatures: [])
        for mspID in ["Org1MSP", "Org2MSP"] { try stale.sign(by: try fixture.admin(mspID)) }
        #expect(reason(stale).contains("the update replaces configuration version 4, but version 0 is in force"), "\(reason(stale))")
        config = fixture.channel.config
        config.sequence = 1
        config.name = "other"
        #expect(reason(ConfigTransaction(configBytes: config.canonicalBytes, signatures: [])).contains("the update is for channel 'other'"))
        #expect(reason(ConfigTransaction(configBytes: [0, 0, 0, 9], signatures: [])).contains("the update's configuration does not decode"))
    }

    @Test func consenterChangesKeepAQuorum() throws {
        let fixture = Self.fixture
        let consenters = fixture.channel.config.consenters
        let newTLS = consenters[1].tlsCertificate
        // One consenter at a time: swapping two consenters' certificates in one update is refused.
        let two = reason(try fixture.update([
            .updateConsenter(name: consenters[0].name, tlsCertificate: newTLS, signingCertificate: nil, address: nil),
            .updateConsenter(name: consenters[2].name, tlsCertificate: newTLS, signingCertificate: nil, address: nil),
        ], signedBy: ["Org1MSP", "Org2MSP"]))
        #expect(two.contains("change one consenter per update"), "\(two)")
        let moved = try fixture.update([.updateConsenter(name: consenters[0].name, tlsCertificate: nil, signingCertificate: nil, address: "127.0.0.1:1")],
                                       signedBy: ["Org1MSP", "Org2MSP"])
        #expect(try fixture.channel.checkUpdate(moved).configuration.orderers[0].address == "127.0.0.1:1")
        // Removing the orderer organization, or every consenter, is refused.
        #expect(throws: ChannelConfigEdit.Failure.self) { try fixture.update([.removeOrganization(mspID: "OrdererMSP")], signedBy: []) }
        var config = fixture.channel.config
        config.sequence = 1
        config.timestamp = UInt64(Date().timeIntervalSince1970 * 1000)
        config.consenters.removeLast()
        var removal = ConfigTransaction(configBytes: config.canonicalBytes, signatures: [])
        for mspID in ["Org1MSP", "Org2MSP"] { try removal.sign(by: try fixture.admin(mspID)) }
        // One consenter removed is one Raft membership change: accepted.
        #expect(try fixture.channel.checkUpdate(removal).configuration.orderers.count == consenters.count - 1)
        config.consenters.removeLast()
        removal = ConfigTransaction(configBytes: config.canonicalBytes, signatures: [])
        for mspID in ["Org1MSP", "Org2MSP"] { try removal.sign(by: try fixture.admin(mspID)) }
        #expect(reason(removal).contains("change one consenter per update"), "\(reason(removal))")
        config.consenters = []
        removal = ConfigTransaction(configBytes: config.canonicalBytes, signatures: [])
        for mspID in ["Org1MSP", "Org2MSP"] { try removal.sign(by: try fixture.admin(mspID)) }
        #expect(reason(removal).contains("removes every consenter"), "\(reason(removal))")
    }

    /// A consenter added takes the next Raft id and must be an orderer of an orderer organization; one
    /// added and one removed in the same update is two changes, refused.
    @Test func consentersAreAddedAndRemovedOneAtATime() throws {
        let fixture = Self.fixture
        let consenters = fixture.channel.config.consenters
        let template = consenters[0]
        let add = ChannelConfigEdit.addConsenter(
            name: "orderer9", mspID: nil, address: "127.0.0.1:9", tlsCertificate: template.tlsCertificate, signingCertificate: template.signingCertificate)
        let added = try add.apply(to: fixture.channel.config).consenters.last!
        #expect(added.raftID == consenters.map(\.raftID).max()! + 1)
        #expect(added.mspID == template.mspID)
        let both = reason(try fixture.update([add, .removeConsenter(name: consenters[1].name)], signedBy: ["Org1MSP", "Org2MSP"]))
        #expect(both.contains("adds orderer9, removes \(consenters[1].name)"), "\(both)")
        #expect(both.contains("change one consenter per update"), "\(both)")
        let config = fixture.channel.config
        func failure(_ edit: ChannelConfigEdit) -> String {
            do { _ = try edit.apply(to: config); return "applied" } catch { return error.description }
        }
        #expect(failure(.addConsenter(name: template.name, mspID: nil, address: "h:1", tlsCertificate: [], signingCertificate: [])).contains("has a consenter '\(template.name)' already"))
        #expect(failure(.addConsenter(name: "o9", mspID: "Org1MSP", address: "h:1", tlsCertificate: [], signingCertificate: [])).contains("Org1MSP is not an orderer organization"))
        #expect(failure(.removeConsenter(name: "nobody")).contains("has no consenter 'nobody'"))
        var single = config
        single.consenters = [template]
        do {
            _ = try ChannelConfigEdit.removeConsenter(name: template.name).apply(to: single)
            Issue.record("the last consenter was removed")
        } catch {
            #expect(error.description.contains("is the last consenter"))
        }
    }

    @Test func editsNameWhatIsWrong() throws {
        let config = Self.fixture.channel.config
        func failure(_ edit: ChannelConfigEdit) -> String {
            do {
                _ = try edit.apply(to: config)
                return "applied"
            } catch {
                return error.description
            }
        }
        #expect(failure(.set(key: "batch.size", value: "1")).contains("unknown setting 'batch.size'"))
        #expect(failure(.set(key: "batch.maxTxCount", value: "many")).contains("expected a whole number"))
        #expect(failure(.setPolicy(name: "Owners", expression: "ANY admin")).contains("unknown policy 'Owners'"))
        #expect(failure(.setPolicy(name: "chaincode.asset-transfer", expression: "ANY peer")).contains("through the chaincode lifecycle"))
        #expect(failure(.removeOrganization(mspID: "Org9MSP")).contains("Org9MSP is not an organization"))
        #expect(failure(.addOrganization(config.organizations[1])).contains("is already a member"))
        #expect(failure(.updateConsenter(name: "nobody", tlsCertificate: nil, signingCertificate: nil, address: nil)).contains("has no consenter 'nobody'"))
        #expect(throws: ChannelConfigEdit.Failure.self) { try ChannelConfigEdit.update(of: config, by: []) }
        // LifecycleEndorsement is the configuration's `_lifecycle` entry; other chaincode entries change
        // only through the lifecycle, so an update that edits them is refused.
        let lifecycle = try Self.fixture.update([.setPolicy(name: "LifecycleEndorsement", expression: "ALL peer")], signedBy: ["Org1MSP", "Org2MSP"])
        #expect(try Self.fixture.channel.checkUpdate(lifecycle).lifecycleEndorsement.description == "ALL peer")
        var edited = config
        edited.sequence = 1
        edited.timestamp = UInt64(Date().timeIntervalSince1970 * 1000)
        edited.chaincodes[0].policy = "ANY peer"
        var chaincodeEdit = ConfigTransaction(configBytes: edited.canonicalBytes, signatures: [])
        for mspID in ["Org1MSP", "Org2MSP"] { try chaincodeEdit.sign(by: try Self.fixture.admin(mspID)) }
        #expect(reason(chaincodeEdit).contains("chaincode definitions change through the chaincode lifecycle"), "\(reason(chaincodeEdit))")
        // A policy that does not parse is refused when the update is checked.
        let update = try Self.fixture.update([.setPolicy(name: "Readers", expression: "ANY(")], signedBy: ["Org1MSP", "Org2MSP"])
        #expect(reason(update).contains("the Readers policy 'ANY(' does not parse"), "\(reason(update))")
    }

    @Test func aMalformedUpdateNamesTheField() throws {
        let update = try Self.fixture.update([.set(key: "batch.maxTxCount", value: "9")], signedBy: ["Org1MSP"])
        let bytes = try update.config().canonicalBytes
        func error<T: CanonicalCodable>(_ type: T.Type, _ bytes: [UInt8]) -> String {
            do {
                _ = try T(canonicalBytes: bytes)
                return "decoded"
            } catch {
                return "\(error)"
            }
        }
        #expect(error(ChannelConfig.self, Array(bytes.prefix(bytes.count / 3))).contains("organizations: "))
        #expect(error(ChannelConfig.self, Array(bytes.dropLast(3))).contains("raft: "))
        #expect(error(ConfigTransaction.self, Array(update.canonicalBytes.dropLast(5))).contains("signatures: "))
    }

    @Test func genesisConfigurationsKeepLayoutVersion1() throws {
        // Version 1 (before updates): no sequence and timestamp; reads as version 0.
        var writer = ByteWriter()
        let config = Self.fixture.channel.config
        writer.write(UInt32(1))
        writer.write(config.name)
        writer.write(config.organizations)
        writer.write(config.consenters)
        writer.write(config.chaincodes)
        writer.write(config.policies)
        writer.write(config.batch)
        writer.write(config.raft)
        let decoded = try ChannelConfig(canonicalBytes: writer.bytes)
        #expect(decoded.sequence == 0 && decoded.timestamp == 0 && decoded.organizations == config.organizations)
        // Block 0's configuration is written in layout 1 (canonical: one encoding per value); an update's in 2.
        #expect(decoded.canonicalBytes == writer.bytes)
        var updated = decoded
        updated.sequence = 1
        updated.timestamp = 5
        #expect(Array(updated.canonicalBytes.prefix(4)) == [0, 0, 0, 2])
        #expect(try ChannelConfig(canonicalBytes: updated.canonicalBytes) == updated)
        var zeroed = updated.canonicalBytes
        let sequenceOffset = 4 + 4 + decoded.name.utf8.count
        for index in sequenceOffset..<(sequenceOffset + 16) { zeroed[index] = 0 }
        #expect(throws: DecodingError.self) { try ChannelConfig(canonicalBytes: zeroed) }
    }
}

/// Where an orderer's configuration watch resumes after a restart.
@Suite struct ConfigurationWatchResumeTests {
    @Test func theWatchResumesAfterTheLaterOfTheRecordedBlockAndTheScannedHeight() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(OrdererConfigurationWatch.resumeHeight(in: folder, recordedBlock: nil) == 1)
        #expect(OrdererConfigurationWatch.resumeHeight(in: folder, recordedBlock: 40) == 41)
        try Data("512\n".utf8).write(to: folder.appendingPathComponent(OrdererConfigurationWatch.scannedFileName))
        #expect(OrdererConfigurationWatch.resumeHeight(in: folder, recordedBlock: 40) == 512)
        #expect(OrdererConfigurationWatch.resumeHeight(in: folder, recordedBlock: 700) == 701)
        try Data("junk".utf8).write(to: folder.appendingPathComponent(OrdererConfigurationWatch.scannedFileName))
        #expect(OrdererConfigurationWatch.resumeHeight(in: folder, recordedBlock: 40) == 41)
    }
}
