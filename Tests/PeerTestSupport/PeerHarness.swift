import AssetTransfer
import Committer
import Endorser
import Execution
import Foundation
import Identity
import Ledger
import SmallBank
import WeftClient
import WeftCore

/// Two peers (Org1 and Org2), each an endorser and a committer over its own SQLite ledger, a test
/// block former in place of the orderers, and a client per organization. Chaincodes asset-transfer,
/// smallbank and evm are installed under `AND('Org1.peer','Org2.peer')`.
public struct PeerHarness: Sendable {
    public static let channel = "mychannel"
    public static let policy = "AND('Org1.peer','Org2.peer')"

    public struct Peer: Sendable {
        public let name: String
        public let ledger: Ledger
        public let endorser: Endorser
        public let committer: Committer
    }

    public let network: TestNetwork
    public let peers: [Peer]
    public var former: TestBlockFormer

    /// The harness; `adjust` may change the peers' chaincode registry and the committers' transaction
    /// check before the peers are made (e.g. to run the chaincode lifecycle).
    public init(
        network: TestNetwork? = nil,
        adjust: (TestNetwork, inout ChaincodeRegistry, inout TransactionCheck) throws -> Void = { _, _, _ in }
    ) throws {
        let network = try network ?? TestNetwork()
        self.network = network
        var registry = ChaincodeRegistry([
            InstalledChaincode(name: AssetTransfer.name, chaincode: AssetTransfer(), endorsementPolicy: Self.policy),
            InstalledChaincode(name: SmallBank.name, chaincode: SmallBank(), endorsementPolicy: Self.policy),
            InstalledChaincode(name: EVMChaincode.name, chaincode: EVMChaincode(), endorsementPolicy: Self.policy),
        ])
        let policy = try EndorsementPolicy(Self.policy)
        var check = TransactionCheck(channelID: Self.channel, validator: network.validator,
                                     policies: [AssetTransfer.name: policy, SmallBank.name: policy,
                                                EVMChaincode.name: policy])
        try adjust(network, &registry, &check)
        let blockCheck = BlockSignatureCheck(validator: network.validator, policy: try EndorsementPolicy("ANY orderer"))
        peers = try ["Org1", "Org2"].map { org in
            let ledger = try TestNetwork.temporaryLedger()
            return Peer(
                name: "peer0.\(org.lowercased())", ledger: ledger,
                endorser: Endorser(configuration: .init(channelID: Self.channel, signer: network.peers[org]!,
                                                        validator: network.validator, registry: registry, ledger: ledger)),
                committer: Committer(configuration: .init(ledger: ledger, transactionCheck: check, blockSignatureCheck: blockCheck)))
        }
        former = TestBlockFormer(signer: network.orderer)
    }

    /// A transaction builder for the client of `org`.
    public func client(_ org: String = "Org1") -> TransactionBuilder {
        TransactionBuilder(identity: network.clients[org]!, channelID: Self.channel)
    }

    /// Proposes through `client`, collects both peers' endorsements and returns the envelope bytes.
    public func endorse(
        _ chaincode: String, _ function: String, _ arguments: [String], client: TransactionBuilder? = nil
    ) throws -> [UInt8] {
        let builder = client ?? self.client()
        let proposal = try builder.proposal(chaincode: chaincode, function: function, arguments)
        let responses = peers.map { $0.endorser.endorse(proposal) }
        return try builder.envelope(for: proposal, responses: responses).canonicalBytes
    }

    /// Evaluates on Org1's peer without submitting (a query): the chaincode's response, or the peer's
    /// refusal as an error response.
    public func evaluate(
        _ chaincode: String, _ function: String, _ arguments: [String], client: TransactionBuilder? = nil,
        timestamp: Date = Date()
    ) throws -> ChaincodeResponse {
        let builder = client ?? self.client()
        let proposal = try builder.proposal(chaincode: chaincode, function: function, arguments, timestamp: timestamp)
        let response = peers[0].endorser.evaluate(proposal)
        guard !response.payloadBytes.isEmpty else { return .error(response.message, status: response.status) }
        return try response.payload().response
    }

    /// Forms the next block over `envelopes` and has every peer commit it; returns Org1's events.
    @discardableResult
    public mutating func commit(_ envelopes: [[UInt8]]) async throws -> BlockEvents {
        let block = try former.block(envelopes)
        var events: [BlockEvents] = []
        for peer in peers { events += try await peer.committer.receive(block) }
        guard let first = events.first else { throw HarnessError.notCommitted(block.number) }
        return first
    }

    public enum HarnessError: Error { case notCommitted(UInt64) }
}
