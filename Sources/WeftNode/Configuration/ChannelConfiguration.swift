import WeftProtocol

/// The channel a network serves, as every node's configuration states it: who belongs, who orders,
/// who endorses, which chaincodes run under which policy, and how blocks are cut.
public struct ChannelConfiguration: Codable, Sendable, Equatable {
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
    /// The consenters.
    public var orderers: [Orderer]
    /// The anchor peers: the same records a client's connection profile lists.
    public var peers: [ConnectionProfile.Peer]
    public var chaincodes: [Chaincode]
    public var batch: Batch?
    /// Which orderer signatures a block needs; default `ANY orderer`. Only signatures of consenters'
    /// signing keys count, whatever the policy.
    public var blockPolicy: String?
    /// Raft timing; defaults when absent.
    public var raft: RaftTiming?

    public init(
        id: String, organizations: [String], orderers: [Orderer], peers: [ConnectionProfile.Peer], chaincodes: [Chaincode],
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
