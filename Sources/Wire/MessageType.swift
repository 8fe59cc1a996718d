/// Every message type of Weft's protocol, in one table. Numbers are stable once released.
///
/// Ranges: 1–99 peer services, 100–199 orderer services, 200–299 Raft between orderers,
/// 300–399 connection control (300–302 were the pre-TLS handshake and stay unused), 400–499 channel
/// participation (admin calls). Unused numbers inside a range are reserved for
/// that range; add new types in their range and document them in `docs/wire.md`.
public enum MessageType: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    // MARK: Peer (1–99)
    /// Endorse a signed proposal: simulate the chaincode and sign the result (unary).
    case endorse = 1
    /// Run a chaincode query without ordering (unary).
    case evaluate = 2
    /// A ledger query: info, block, transaction, state, range, history, rich, proof (unary).
    case ledgerQuery = 3
    /// Subscribe to commit events (server stream).
    case commitEvents = 10
    /// Where a transaction was committed, waiting for it up to a timeout (unary).
    case commitStatus = 11
    /// The peer gateway endorses a client's signed proposal: locally and at a peer of every other
    /// organization, in parallel; the answer is the endorsed responses (unary).
    case gatewayEndorse = 12
    /// The peer gateway broadcasts a client's signed envelope to the channel's orderers (unary; the
    /// answer is the orderer's broadcast result).
    case gatewaySubmit = 13
    /// The events of one chaincode, filtered by the peer, from a block on (server stream).
    case chaincodeEvents = 14

    // MARK: Orderer (100–199)
    /// Submit a signed envelope for ordering (unary).
    case broadcast = 100
    /// Stream blocks from a given number on (server stream).
    case deliver = 101
    /// The orderer's height, leader and term (unary).
    case ordererStatus = 102

    // MARK: Raft (200–299)
    /// One Raft message between orderers (unary; the answer is empty).
    case raftMessage = 200
    /// A Raft snapshot transfer between orderers (unary).
    case raftSnapshot = 201
    /// An envelope a follower checked and forwards to the Raft leader (orderer to orderer).
    case forwardEnvelope = 202
    /// A batch of stored blocks for an orderer catching up (orderer to orderer).
    case fetchBlocks = 203
    /// The newest configuration block an orderer put in force, for an orderer joining a channel whose
    /// genesis block does not list it (orderer to orderer, from consenters).
    case configBlock = 204

    // MARK: Channel participation and ledger administration (400–499), admins of the node's organization
    /// Join a channel: the body is its genesis block (unary; answers the node's channels).
    case channelJoin = 400
    /// The channels the node has joined (unary).
    case channelList = 401
    /// Leave a channel (unary; answers the node's channels).
    case channelRemove = 402
    /// Write a snapshot of a channel's ledger in the peer's data folder, signed by the peer (unary;
    /// answers `LedgerSnapshotTaken`).
    case ledgerSnapshot = 403
    /// Write an online backup of a channel's ledger file in the peer's data folder (unary; answers
    /// `LedgerFileWritten`).
    case ledgerBackup = 404
    /// Export blocks of a channel to an archive in the peer's data folder (unary; answers
    /// `LedgerFileWritten`).
    case ledgerExport = 405
    /// Prune a channel's ledger below a block (unary; answers `LedgerPruned`).
    case ledgerPrune = 406
    /// Stream a file a ledger command wrote in the peer's data folder, in chunks (server stream).
    case ledgerDownload = 407

    // MARK: Connection control (300–399)
    /// Round trip with the body echoed back (unary, any authenticated caller).
    case ping = 310

    public var description: String {
        switch self {
        case .endorse: "endorse"
        case .evaluate: "evaluate"
        case .ledgerQuery: "ledgerQuery"
        case .commitEvents: "commitEvents"
        case .commitStatus: "commitStatus"
        case .gatewayEndorse: "gatewayEndorse"
        case .gatewaySubmit: "gatewaySubmit"
        case .chaincodeEvents: "chaincodeEvents"
        case .broadcast: "broadcast"
        case .deliver: "deliver"
        case .ordererStatus: "ordererStatus"
        case .raftMessage: "raftMessage"
        case .raftSnapshot: "raftSnapshot"
        case .forwardEnvelope: "forwardEnvelope"
        case .fetchBlocks: "fetchBlocks"
        case .configBlock: "configBlock"
        case .ping: "ping"
        case .channelJoin: "channelJoin"
        case .channelList: "channelList"
        case .channelRemove: "channelRemove"
        case .ledgerSnapshot: "ledgerSnapshot"
        case .ledgerBackup: "ledgerBackup"
        case .ledgerExport: "ledgerExport"
        case .ledgerPrune: "ledgerPrune"
        case .ledgerDownload: "ledgerDownload"
        }
    }
}
