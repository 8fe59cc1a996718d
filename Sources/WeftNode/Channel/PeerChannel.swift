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
import NIOConcurrencyHelpers
import WeftCore
import WeftRPC

/// One channel on a peer: its ledger file, endorser, committer and the block puller that keeps the
/// ledger up to date from the channel's orderers. Its configuration is the newest one the ledger
/// holds, and changes with each valid configuration block the committer commits.
final class PeerChannel: Sendable {
    let live: LiveChannel
    let ledger: Ledger
    let committer: Committer
    let puller: BlockPuller
    /// Calls of `commitStatus` waiting for their transactions.
    let commitWaiters: CommitWaiters
    /// The Raft leader among the channel's orderers once known: the gateway broadcasts to it first.
    let ordererPreference = OrdererPreference()
    private let endorsers: NIOLockedValueBox<Endorser>
    /// The peer's organization.
    private let mspID: String
    private let pulling: Task<Void, Never>

    /// The configuration in force.
    var channel: ChannelContext { live.current }
    /// The endorser of the configuration in force.
    var endorser: Endorser { endorsers.withLockedValue { $0 } }

    /// Opens (or creates) the channel's ledger, commits the genesis block into a new one, takes up the
    /// newest configuration the ledger recorded, and starts pulling blocks. Throws
    /// `ChannelRefusal.genesisMismatch` when the ledger's block 0 is another. When the block puller
    /// ends by itself, the channel reports it to `failures`, which stops the process; `close()` reports
    /// nothing.
    init(channel genesis: ChannelContext, node: NodeContext, metrics: PeerMetrics, failures: ChannelFailures, logger: Logger) throws {
        let ledger = try Ledger.open(path: node.ledgerPath(channel: genesis.name), configuration: node.ledgerConfiguration)
        let channel: ChannelContext
        do {
            try Self.adopt(genesis.genesis, ledger: ledger, channel: genesis.name)
            channel = try Self.newestConfiguration(in: ledger, genesis: genesis)
        } catch {
            ledger.close()
            throw error
        }
        let live = LiveChannel(channel)
        let endorsers = NIOLockedValueBox(try Self.endorser(for: channel, node: node, ledger: ledger))
        self.live = live
        self.ledger = ledger
        self.endorsers = endorsers
        mspID = node.configuration.mspID
        let updates = ConfigurationUpdates { entry, blockNumber in
            Self.decide(entry, blockNumber: blockNumber, live: live, node: node, ledger: ledger, logger: logger) { endorser in
                endorsers.withLockedValue { $0 = endorser }
            }
        }
        let rules = try Self.rules(for: channel, node: node, ledger: ledger)
        let waiters = CommitWaiters(ledger: ledger)
        commitWaiters = waiters
        let observe = PeerTracing.observing(metrics.committed)
        committer = Committer(configuration: .init(
            ledger: ledger, transactionCheck: rules.transactionCheck, blockSignatureCheck: rules.blockSignatureCheck,
            observer: { record in
                observe(record)
                waiters.committed(record)
            }, configurationUpdates: updates))
        let puller = BlockPuller(node: node, channel: live, committer: committer, logger: logger)
        self.puller = puller
        let name = genesis.name
        pulling = Task {
            await puller.run()
            if !Task.isCancelled {
                failures.report(ComponentFailure(component: "the block puller of channel \(name)", reason: "it stopped pulling blocks"))
            }
        }
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

    /// The configuration the ledger recorded last (`ConfigurationRecord`), or the genesis block's.
    static func newestConfiguration(in ledger: Ledger, genesis: ChannelContext) throws -> ChannelContext {
        guard let record = try ledger.read({ try $0.value(namespace: ConfigurationRecord.namespace, key: ConfigurationRecord.key) }) else {
            return genesis
        }
        return try ChannelContext(recorded: record.value, genesis: genesis.genesis)
    }

    /// Decides the configuration entry of block `blockNumber` against the configuration in force; a
    /// valid one is put in force (configuration, endorser, admitted organizations) once its block commits.
    private static func decide(
        _ entry: [UInt8], blockNumber: UInt64, live: LiveChannel, node: NodeContext, ledger: Ledger, logger: Logger,
        installEndorser: @escaping @Sendable (Endorser) -> Void
    ) -> Result<ConfigurationUpdates.Accepted, ConfigurationUpdates.Refused> {
        let current = live.current
        let transaction: ConfigTransaction
        do { transaction = try ConfigTransaction(canonicalBytes: entry) } catch {
            logger.error("channel \(current.name): block \(blockNumber): the configuration entry does not decode: \(error)")
            return .failure(.init(txID: nil, reason: "\(error)"))
        }
        do {
            let next = try current.checkUpdate(transaction)
            let rules = try Self.rules(for: next, node: node, ledger: ledger)
            let endorser = try Self.endorser(for: next, node: node, ledger: ledger)
            return .success(.init(txID: transaction.txID, rules: rules, writes: [ConfigurationRecord.write(entry)]) {
                live.replace(with: next)
                installEndorser(endorser)
                do { try node.admission.replace(next) } catch {
                    logger.error("channel \(next.name): admitting the members of configuration \(next.config.sequence) failed: \(error)")
                }
                logger.notice("channel \(next.name): configuration version \(next.config.sequence) in force from block \(blockNumber + 1)")
            })
        } catch {
            logger.error("channel \(current.name): block \(blockNumber): configuration update refused (INVALID_CONFIG_TRANSACTION): \(error)")
            return .failure(.init(txID: transaction.txID, reason: "\(error)"))
        }
    }

    /// The committer's checks under `channel`'s configuration and the chaincode definitions `ledger`
    /// holds; the endorsements `node` signed itself are checked by a lookup.
    static func rules(for channel: ChannelContext, node: NodeContext, ledger: Ledger) throws -> CommitRules {
        var transactionCheck = TransactionCheck(
            channelID: channel.name, validator: channel.validator, policies: channel.endorsementPolicies,
            lifecycle: LifecycleRules(commitPolicy: channel.lifecycleEndorsement), ownSignatures: node.ownSignatures)
        transactionCheck.define(try CommittedDefinitions.read(from: ledger))
        return CommitRules(
            transactionCheck: transactionCheck,
            blockSignatureCheck: BlockSignatureCheck(
                validator: channel.validator, policy: try EndorsementPolicy(channel.configuration.blockPolicy ?? "ANY orderer"),
                consenterSigningKeys: channel.consenterSigningKeys))
    }

    /// An endorser under `channel`'s configuration.
    static func endorser(for channel: ChannelContext, node: NodeContext, ledger: Ledger) throws -> Endorser {
        Endorser(configuration: .init(
            channelID: channel.name, signer: node.identity, validator: channel.validator,
            registry: try BuiltinChaincodes.registry(for: channel), ledger: ledger, ownSignatures: node.ownSignatures))
    }

    /// The channel as `channelList` reports it.
    var listing: JoinedChannel {
        let channel = self.channel
        let status = if channel.validator.membership.organization(mspID: mspID) == nil {
            "waiting for a configuration update that adds \(mspID)"
        } else {
            puller.connected.isSet ? "active" : "connecting to the orderers"
        }
        return JoinedChannel(name: channel.name, height: ledger.chainInfo.height, genesisHash: channel.genesis.header.hash, status: status)
    }

    /// Stops pulling and closes the ledger.
    func close() async {
        pulling.cancel()
        await pulling.value
        ledger.close()
    }
}
