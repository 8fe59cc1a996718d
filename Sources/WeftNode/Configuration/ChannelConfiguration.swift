import WeftProtocol

/// The channel a network serves, as every node's configuration states it: who belongs, who orders,
/// who endorses, which chaincodes run under which policy, and how blocks are cut.
public struct ChannelConfiguration: Codable, Sendable, Equatable {
    /// An orderer of the channel (a consenter, in Fabric's words): who it is, where it listens, its
    /// Raft id, and the keys it is pinned to. The organizations of the consenters are the channel's
    /// orderer organizations: only they may grant the `orderer` role.
    public struct Orderer: Codable, Sendable, Equatable {
        public var name: String
        public var address: String
        /// Its Raft node id (1, 2, 3, …), unique in the channel.
        public var raftID: UInt64
        /// Its organization's MSP id.
        public var mspID: String?
        /// SHA-256 (hex) of the public key (SubjectPublicKeyInfo DER) of its TLS certificate: Raft
        /// messages for `raftID`, forwarded envelopes and block fetches are accepted only over a TLS
        /// connection authenticated with this key. Pinning the key, not the certificate, lets the
        /// certificate be renewed (`weft crypto renew`) without a configuration change.
        public var tlsKeySHA256: String?
        /// SHA-256 (hex) of the public key of its signing certificate: peers accept block signatures
        /// only from consenters' signing keys.
        public var signingKeySHA256: String?

        public init(
            name: String, address: String, raftID: UInt64, mspID: String? = nil,
            tlsKeySHA256: String? = nil, signingKeySHA256: String? = nil
        ) {
            self.name = name
            self.address = address
            self.raftID = raftID
            self.mspID = mspID
            self.tlsKeySHA256 = tlsKeySHA256
            self.signingKeySHA256 = signingKeySHA256
        }
    }

    /// A peer of the channel: the same record a client's connection profile lists.
    public typealias Peer = ConnectionProfile.Peer

    /// A chaincode installed on the channel and its endorsement policy.
    public struct Chaincode: Codable, Sendable, Equatable {
        public var name: String
        public var policy: String

        public init(name: String, policy: String) {
            self.name = name
            self.policy = policy
        }
    }

    /// When the orderers cut a block.
    public struct Batch: Codable, Sendable, Equatable {
        public var maxTxCount: Int?
        public var preferredMaxBytes: Int?
        public var absoluteMaxBytes: Int?
        /// Milliseconds.
        public var timeoutMilliseconds: Int?

        public init(maxTxCount: Int? = nil, preferredMaxBytes: Int? = nil, absoluteMaxBytes: Int? = nil, timeoutMilliseconds: Int? = nil) {
            self.maxTxCount = maxTxCount
            self.preferredMaxBytes = preferredMaxBytes
            self.absoluteMaxBytes = absoluteMaxBytes
            self.timeoutMilliseconds = timeoutMilliseconds
        }
    }

    /// Raft timing of the orderers.
    public struct RaftTiming: Codable, Sendable, Equatable {
        /// Milliseconds per Raft tick (default 100).
        public var tickMilliseconds: Int?
        /// A follower campaigns after a random `electionTicks ..< 2 × electionTicks` ticks without a
        /// leader (default 10: 1–2 s).
        public var electionTicks: Int?

        public init(tickMilliseconds: Int? = nil, electionTicks: Int? = nil) {
            self.tickMilliseconds = tickMilliseconds
            self.electionTicks = electionTicks
        }
    }

    public var id: String
    /// MSP folders of every organization of the channel (peer organizations and the orderer organization).
    public var organizations: [String]
    public var orderers: [Orderer]
    public var peers: [Peer]
    public var chaincodes: [Chaincode]
    public var batch: Batch?
    /// Which orderer signatures a block needs; default `ANY orderer`. Only signatures of consenters'
    /// signing keys count, whatever the policy.
    public var blockPolicy: String?
    /// Raft timing; defaults when absent.
    public var raft: RaftTiming?

    public init(
        id: String, organizations: [String], orderers: [Orderer], peers: [Peer], chaincodes: [Chaincode],
        batch: Batch? = nil, blockPolicy: String? = nil, raft: RaftTiming? = nil
    ) {
        self.id = id
        self.organizations = organizations
        self.orderers = orderers
        self.peers = peers
        self.chaincodes = chaincodes
        self.batch = batch
        self.blockPolicy = blockPolicy
        self.raft = raft
    }
}
