import Foundation
import Identity
import Ledger
import WeftCore
import WeftCrypto

/// In-memory crypto material for peer tests: organizations Org1 and Org2 (a peer and a client each) and
/// OrdererOrg (one orderer), with a membership and validator over all three.
public struct TestNetwork: Sendable {
    public struct Org: Sendable {
        public var name: String
        public var mspID: String
        public var ca: CertificateAuthority

        public init(name: String, mspID: String, ca: CertificateAuthority) {
            self.name = name
            self.mspID = mspID
            self.ca = ca
        }
    }

    public let orgs: [String: Org]
    public let membership: Membership
    public let validator: IdentityValidator
    public let peers: [String: SigningIdentity]
    public let clients: [String: SigningIdentity]
    /// An administrator (OU `admin`) of Org1 and of Org2.
    public let admins: [String: SigningIdentity]
    public let orderer: SigningIdentity

    public init() throws {
        var orgs: [String: Org] = [:]
        for name in ["Org1", "Org2", "OrdererOrg"] {
            let ca = try CertificateAuthority.selfSigned(subject: DistinguishedName(organization: name, commonName: "ca.\(name.lowercased())"))
            orgs[name] = Org(name: name, mspID: name + "MSP", ca: ca)
        }
        self.orgs = orgs
        membership = try Membership(organizations: orgs.values.sorted { $0.name < $1.name }.map {
            Organization(name: $0.name, mspID: $0.mspID, caCertificates: [$0.ca.certificate])
        })
        validator = IdentityValidator(membership: membership)
        var peers: [String: SigningIdentity] = [:]
        var clients: [String: SigningIdentity] = [:]
        var admins: [String: SigningIdentity] = [:]
        for name in ["Org1", "Org2"] {
            peers[name] = try Self.identity(in: orgs[name]!, role: "peer", name: "peer0")
            clients[name] = try Self.identity(in: orgs[name]!, role: "client", name: "user1")
            admins[name] = try Self.identity(in: orgs[name]!, role: "admin", name: "admin")
        }
        self.peers = peers
        self.clients = clients
        self.admins = admins
        orderer = try Self.identity(in: orgs["OrdererOrg"]!, role: "orderer", name: "orderer0")
    }

    /// A new identity of `org` with role OU `role`, valid from `notBefore` to `notAfter`.
    public static func identity(
        in org: Org, role: String, name: String,
        notBefore: Date = Date().addingTimeInterval(-3600), notAfter: Date = Date().addingTimeInterval(86400 * 365)
    ) throws -> SigningIdentity {
        let key = try P256SigningKey()
        let certificate = try org.ca.issue(CertificateTemplate(
            subject: DistinguishedName(organization: org.name, organizationalUnits: [role], commonName: "\(name).\(org.name.lowercased())"),
            publicKey: key.publicKey, notBefore: notBefore, notAfter: notAfter))
        return try SigningIdentity(mspID: org.mspID, certificate: certificate, signingKey: key)
    }

    /// A fresh ledger file in a new temporary folder.
    public static func temporaryLedger() throws -> Ledger {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("weft-peer-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try Ledger.open(path: folder.appendingPathComponent("channel.sqlite").path)
    }
}

/// Forms and signs blocks as an orderer would, for peer tests (not the real ordering service).
public struct TestBlockFormer: Sendable {
    public let signer: SigningIdentity
    public private(set) var height: UInt64 = 0
    public private(set) var previousHash = BlockHeader.genesisPreviousHash

    public init(signer: SigningIdentity) { self.signer = signer }

    /// The next block over `envelopes`, signed by the orderer.
    public mutating func block(_ envelopes: [[UInt8]]) throws -> Block {
        let header = Block(number: height, previousHash: previousHash, data: envelopes).header
        let signature = try signer.signature(for: header.hash)
        height += 1
        previousHash = header.hash
        return Block(header: header, data: envelopes,
                     metadata: BlockMetadata(ordererSignatures: [BlockSignature(signer: signer.serialized, signature: signature)]))
    }
}
