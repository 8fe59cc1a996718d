import Committer
import Endorser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import Logging
import WeftCore

/// One channel on a peer: its ledger file, endorser, committer and the block puller that keeps the
/// ledger up to date from the channel's orderers.
final class PeerChannel: Sendable {
    let channel: ChannelContext
    let ledger: Ledger
    let endorser: Endorser
    let committer: Committer
    let puller: BlockPuller
    private let pulling: Task<Void, Never>

    /// Opens (or creates) the channel's ledger, commits the genesis block into a new one, and starts
    /// pulling blocks. Throws `ChannelRefusal.genesisMismatch` when the ledger's block 0 is another.
    init(channel: ChannelContext, node: NodeContext, metrics: PeerMetrics, logger: Logger) throws {
        let ledger = try Ledger.open(path: node.ledgerPath(channel: channel.name))
        do {
            try Self.adopt(channel.genesis, ledger: ledger, channel: channel.name)
        } catch {
            ledger.close()
            throw error
        }
        self.channel = channel
        self.ledger = ledger
        let configuration = channel.configuration
        endorser = Endorser(configuration: .init(
            channelID: channel.name, signer: node.identity, validator: channel.validator,
            registry: try BuiltinChaincodes.registry(for: configuration.chaincodes), ledger: ledger))
        committer = Committer(configuration: .init(
            ledger: ledger,
            transactionCheck: TransactionCheck(channelID: channel.name, validator: channel.validator, policies: channel.endorsementPolicies),
            blockSignatureCheck: BlockSignatureCheck(
                validator: channel.validator, policy: try EndorsementPolicy(configuration.blockPolicy ?? "ANY orderer"),
                consenterSigningKeys: channel.consenterSigningKeys),
            observer: PeerTracing.observing(metrics.committed)))
        let puller = BlockPuller(node: node, channel: channel, committer: committer, logger: logger)
        self.puller = puller
        pulling = Task { await puller.run() }
    }

    /// Commits `genesis` as block 0 of an empty ledger; checks that a ledger with blocks starts with it.
    static func adopt(_ genesis: Block, ledger: Ledger, channel: String) throws {
        let info = ledger.chainInfo
        guard info.height > 0 else {
            let entry = try ConfigTransaction(canonicalBytes: genesis.data[0])
            _ = try ledger.commit(genesis, transactions: [CommittedTransaction(txID: entry.txID, validationCode: .valid)])
            return
        }
        // A ledger joined from a snapshot, or pruned, no longer holds block 0: nothing to compare.
        guard let first = try? ledger.read({ try $0.block(number: 0) }) else { return }
        guard first.header.hash == genesis.header.hash else {
            throw ChannelRefusal.genesisMismatch(channel: channel, have: Hex.encode(first.header.hash), given: Hex.encode(genesis.header.hash))
        }
    }

    /// The channel as `channelList` reports it.
    var listing: JoinedChannel {
        JoinedChannel(name: channel.name, height: ledger.chainInfo.height, genesisHash: channel.genesis.header.hash,
                      status: puller.connected.isSet ? "active" : "connecting to the orderers")
    }

    /// Stops pulling and closes the ledger.
    func close() async {
        pulling.cancel()
        await pulling.value
        ledger.close()
    }
}
