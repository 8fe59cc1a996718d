
/// A channel's configuration as its genesis block holds it (docs/channels.md): who belongs and in which
/// roles, who orders, the rules (policies), the chaincodes, and how blocks are cut. Every node of the
/// channel reads it from block 0 of the chain, never from its own configuration file.
///
/// Canonical layout: `version` (u32, 2), `name` (string), `sequence`, `timestamp` (u64),
/// `organizations` (list<Organization>), `consenters` (list<Consenter>), `chaincodes` (list<Chaincode>),
/// `policies` (Policies), `batch` (Batch), `raft` (Raft). A configuration with sequence 0 and
/// timestamp 0 (a genesis block's) is written in layout version 1, which has neither field — so genesis
/// blocks stay what the first channels wrote — and layout version 2 never holds that pair.
public struct ChannelConfig: Hashable, Sendable, CanonicalCodable {
    /// The layout version this code writes.
    public static let version: UInt32 = 2

    /// A member organization: its MSP (CA certificates as DER), the roles it may grant, and its anchor peers.
    ///
    /// Canonical layout: `name`, `mspID` (strings), `roles` (list<string>), `caCertificates`,
    /// `tlsCACertificates`, `adminCertificates` (list<bytes>), `revokedSerialNumbers` (list<string>),
    /// `anchorPeers` (list<AnchorPeer>).
    public struct Organization: Hashable, Sendable, CanonicalCodable {
        public var name: String
        public var mspID: String
        /// Roles its certificates may carry on this channel: `peer`, `client`, `admin`, `orderer`.
        /// Only organizations with `orderer` provide consenters, and they grant no `peer`.
        public var roles: [String]
        public var caCertificates: [[UInt8]]
        public var tlsCACertificates: [[UInt8]]
        public var adminCertificates: [[UInt8]]
        public var revokedSerialNumbers: [String]
        public var anchorPeers: [AnchorPeer]

        public init(
            name: String, mspID: String, roles: [String], caCertificates: [[UInt8]], tlsCACertificates: [[UInt8]],
            adminCertificates: [[UInt8]] = [], revokedSerialNumbers: [String] = [], anchorPeers: [AnchorPeer] = []
        ) {
            self.name = name
            self.mspID = mspID
            self.roles = roles
            self.caCertificates = caCertificates
            self.tlsCACertificates = tlsCACertificates
            self.adminCertificates = adminCertificates
            self.revokedSerialNumbers = revokedSerialNumbers
            self.anchorPeers = anchorPeers
        }

        private static func certificates(_ reader: inout ByteReader, _ field: String) throws(DecodingError) -> [[UInt8]] {
            try reader.field(field) { reader throws(DecodingError) in try reader.readArray(of: Bytes.self, minimumElementSize: 4).map(\.bytes) }
        }

        /// Whether the organization provides orderers.
        public var isOrdererOrganization: Bool { roles.contains("orderer") }

        public func encode(to writer: inout ByteWriter) {
            writer.write(name)
            writer.write(mspID)
            writer.write(roles)
            for list in [caCertificates, tlsCACertificates, adminCertificates] { writer.write(list.map(Bytes.init)) }
            writer.write(revokedSerialNumbers)
            writer.write(anchorPeers)
        }

        public init(from reader: inout ByteReader) throws(DecodingError) {
            name = try reader.field("name") { reader throws(DecodingError) in try reader.readString() }
            mspID = try reader.field("mspID") { reader throws(DecodingError) in try reader.readString() }
            roles = try reader.field("\(mspID).roles") { reader throws(DecodingError) in try reader.readArray(minimumElementSize: 4) }
            let organization = mspID
            caCertificates = try Self.certificates(&reader, "\(organization).caCertificates")
            tlsCACertificates = try Self.certificates(&reader, "\(organization).tlsCACertificates")
            adminCertificates = try Self.certificates(&reader, "\(organization).adminCertificates")
            revokedSerialNumbers = try reader.field("\(mspID).revokedSerialNumbers") { reader throws(DecodingError) in try reader.readArray(minimumElementSize: 4) }
            anchorPeers = try reader.field("\(mspID).anchorPeers") { reader throws(DecodingError) in try reader.readArray(minimumElementSize: 8) }
        }
    }

    /// A peer other organizations' nodes and clients may reach (Fabric's anchor peer).
    ///
    /// Canonical layout: `name`, `address` (strings).
    public struct AnchorPeer: Hashable, Sendable, CanonicalCodable {
        public var name: String
        public var address: String

        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }

        public func encode(to writer: inout ByteWriter) {
            writer.write(name)
            writer.write(address)
        }

        public init(from reader: inout ByteReader) throws(DecodingError) {
            name = try reader.readString()
            address = try reader.readString()
        }
    }

    /// An orderer of the channel's Raft group.
    ///
    /// Canonical layout: `name`, `mspID` (strings), `raftID` (u64), `address` (string),
    /// `tlsCertificate`, `signingCertificate` (bytes, DER).
    public struct Consenter: Hashable, Sendable, CanonicalCodable {
        public var name: String
        public var mspID: String
        public var raftID: UInt64
        public var address: String
        /// Its TLS certificate: orderer-to-orderer calls for this consenter are accepted only over TLS
        /// with this certificate's key (a renewed certificate with the same key still matches).
        public var tlsCertificate: [UInt8]
        /// Its signing certificate: block signatures count only from consenters' signing keys.
        public var signingCertificate: [UInt8]

        public init(name: String, mspID: String, raftID: UInt64, address: String, tlsCertificate: [UInt8], signingCertificate: [UInt8]) {
            self.name = name
            self.mspID = mspID
            self.raftID = raftID
            self.address = address
            self.tlsCertificate = tlsCertificate
            self.signingCertificate = signingCertificate
        }

        public func encode(to writer: inout ByteWriter) {
            writer.write(name)
            writer.write(mspID)
            writer.write(raftID)
            writer.write(address)
            writer.write(lengthPrefixed: tlsCertificate)
            writer.write(lengthPrefixed: signingCertificate)
        }

        public init(from reader: inout ByteReader) throws(DecodingError) {
            name = try reader.readString()
            mspID = try reader.readString()
            raftID = try reader.readUInt64()
            address = try reader.readString()
            tlsCertificate = try reader.readLengthPrefixed()
            signingCertificate = try reader.readLengthPrefixed()
        }
    }

    /// A chaincode the channel runs and its endorsement policy.
    ///
    /// Canonical layout: `name`, `policy` (strings).
    public struct Chaincode: Hashable, Sendable, CanonicalCodable {
        public var name: String
        public var policy: String

        public init(name: String, policy: String) {
            self.name = name
            self.policy = policy
        }

        public func encode(to writer: inout ByteWriter) {
            writer.write(name)
            writer.write(policy)
        }

        public init(from reader: inout ByteReader) throws(DecodingError) {
            name = try reader.readString()
            policy = try reader.readString()
        }
    }

    /// The channel's rules, each in the policy language of docs/policies.md, evaluated over the
    /// channel's organizations.
    ///
    /// Canonical layout: `readers`, `writers`, `admins`, `blockValidation`, `endorsement` (strings).
    public struct Policies: Hashable, Sendable, CanonicalCodable {
        /// Who may read blocks, events and state (`deliver`, `commitEvents`, queries, `evaluate`).
        public var readers: String
        /// Who may submit (`broadcast`, `endorse`).
        public var writers: String
        /// Who must sign a configuration update.
        public var admins: String
        /// Which orderer signatures a block needs.
        public var blockValidation: String
        /// The endorsement policy of a chaincode that names none.
        public var endorsement: String

        /// Fabric's defaults: `ANY Readers`, `ANY Writers`, `MAJORITY Admins`, `ANY orderer`, `MAJORITY peer`.
        public static let standard = Policies(
            readers: "ANY member", writers: "OR(ANY client, ANY admin)", admins: "MAJORITY admin",
            blockValidation: "ANY orderer", endorsement: "MAJORITY peer")

        public init(readers: String, writers: String, admins: String, blockValidation: String, endorsement: String) {
            self.readers = readers
            self.writers = writers
            self.admins = admins
            self.blockValidation = blockValidation
            self.endorsement = endorsement
        }

        public func encode(to writer: inout ByteWriter) {
            for text in [readers, writers, admins, blockValidation, endorsement] { writer.write(text) }
        }

        public init(from reader: inout ByteReader) throws(DecodingError) {
            readers = try reader.readString()
            writers = try reader.readString()
            admins = try reader.readString()
            blockValidation = try reader.readString()
            endorsement = try reader.readString()
        }
    }

    /// When the orderers cut a block.
    ///
    /// Canonical layout: `maxTxCount`, `preferredMaxBytes`, `absoluteMaxBytes`, `timeoutMilliseconds` (u32).
    public struct Batch: Hashable, Sendable, CanonicalCodable {
        public var maxTxCount: UInt32
        public var preferredMaxBytes: UInt32
        public var absoluteMaxBytes: UInt32
        public var timeoutMilliseconds: UInt32

        public init(maxTxCount: UInt32 = 500, preferredMaxBytes: UInt32 = 2 << 20, absoluteMaxBytes: UInt32 = 10 << 20, timeoutMilliseconds: UInt32 = 250) {
            self.maxTxCount = maxTxCount
            self.preferredMaxBytes = preferredMaxBytes
            self.absoluteMaxBytes = absoluteMaxBytes
            self.timeoutMilliseconds = timeoutMilliseconds
        }

        public func encode(to writer: inout ByteWriter) {
            for value in [maxTxCount, preferredMaxBytes, absoluteMaxBytes, timeoutMilliseconds] { writer.write(value) }
        }

        public init(from reader: inout ByteReader) throws(DecodingError) {
            maxTxCount = try reader.readUInt32()
            preferredMaxBytes = try reader.readUInt32()
            absoluteMaxBytes = try reader.readUInt32()
            timeoutMilliseconds = try reader.readUInt32()
        }
    }

    /// The orderers' Raft timing.
    ///
    /// Canonical layout: `tickMilliseconds`, `electionTicks` (u32).
    public struct Raft: Hashable, Sendable, CanonicalCodable {
        public var tickMilliseconds: UInt32
        public var electionTicks: UInt32

        public init(tickMilliseconds: UInt32 = 100, electionTicks: UInt32 = 10) {
            self.tickMilliseconds = tickMilliseconds
            self.electionTicks = electionTicks
        }

        public func encode(to writer: inout ByteWriter) {
            writer.write(tickMilliseconds)
            writer.write(electionTicks)
        }

        public init(from reader: inout ByteReader) throws(DecodingError) {
            tickMilliseconds = try reader.readUInt32()
            electionTicks = try reader.readUInt32()
        }
    }

    public var name: String
    /// The configuration's version: 0 in the genesis block, one more with each update (docs/governance.md).
    /// An update names the version it replaces by carrying that version plus one.
    public var sequence: UInt64
    /// When this version was written (milliseconds since 1970): its administrators' certificates are
    /// checked at this time, so every node reaches the same verdict.
    public var timestamp: UInt64
    public var organizations: [Organization]
    public var consenters: [Consenter]
    public var chaincodes: [Chaincode]
    public var policies: Policies
    public var batch: Batch
    public var raft: Raft

    public init(
        name: String, organizations: [Organization], consenters: [Consenter], chaincodes: [Chaincode],
        policies: Policies = .standard, batch: Batch = Batch(), raft: Raft = Raft(), sequence: UInt64 = 0, timestamp: UInt64 = 0
    ) {
        self.name = name
        self.sequence = sequence
        self.timestamp = timestamp
        self.organizations = organizations
        self.consenters = consenters
        self.chaincodes = chaincodes
        self.policies = policies
        self.batch = batch
        self.raft = raft
    }

    public func encode(to writer: inout ByteWriter) {
        let isGenesisLayout = sequence == 0 && timestamp == 0
        writer.write(isGenesisLayout ? 1 : Self.version)
        writer.write(name)
        if !isGenesisLayout {
            writer.write(sequence)
            writer.write(timestamp)
        }
        writer.write(organizations)
        writer.write(consenters)
        writer.write(chaincodes)
        writer.write(policies)
        writer.write(batch)
        writer.write(raft)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let version = try reader.readUInt32()
        guard version == 1 || version == Self.version else {
            throw .invalidValue(offset: reader.offset - 4, "channel configuration version \(version); this node reads versions 1 and \(Self.version)")
        }
        name = try reader.field("name") { reader throws(DecodingError) in try reader.readString() }
        sequence = version == 1 ? 0 : try reader.field("sequence") { reader throws(DecodingError) in try reader.readUInt64() }
        timestamp = version == 1 ? 0 : try reader.field("timestamp") { reader throws(DecodingError) in try reader.readUInt64() }
        if version == Self.version, sequence == 0, timestamp == 0 {
            throw .invalidValue(offset: reader.offset - 16, "a configuration with sequence 0 and timestamp 0 is written in layout version 1")
        }
        organizations = try reader.field("organizations") { reader throws(DecodingError) in try reader.readArray(minimumElementSize: 36) }
        consenters = try reader.field("consenters") { reader throws(DecodingError) in try reader.readArray(minimumElementSize: 28) }
        chaincodes = try reader.field("chaincodes") { reader throws(DecodingError) in try reader.readArray(minimumElementSize: 8) }
        policies = try reader.field("policies") { reader throws(DecodingError) in try reader.read() }
        batch = try reader.field("batch") { reader throws(DecodingError) in try reader.read() }
        raft = try reader.field("raft") { reader throws(DecodingError) in try reader.read() }
    }
}
