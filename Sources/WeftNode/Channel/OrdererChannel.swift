#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Orderer
import Raft
import WeftCore

/// One channel on an orderer: its Raft group member (`OrderingNode`) with its own log, snapshot and
/// block store in `<dataDir>/channels/<name>/`, the links that carry its Raft messages, and its metrics.
/// Configuration updates are checked before they are ordered, and each valid one is put in force
/// once its block is written (`OrdererConfigurationWatch`).
final class OrdererChannel: ChannelService {
    let live: LiveChannel
    let node: OrderingNode
    let metrics: OrdererMetrics
    /// The channel's folder (`<dataDir>/channels/<name>/`).
    let folder: URL
    /// Consenters removed by updates, until Raft is done with them.
    let retired = RetiredConsenters()
    private let running: Task<Void, Never>

    /// The configuration in force.
    var channel: ChannelContext { live.current }

    /// Opens (or creates) the channel's ordering state, storing the genesis block as block 0 of a new
    /// chain, takes up the newest configuration it recorded, and starts ordering. Throws when this
    /// orderer is not one of the channel's consenters. When the ordering node stops on an error (its
    /// storage failed), the channel reports it to `failures`, which stops the process; `close()` reports
    /// nothing.
    init(
        channel genesis: ChannelContext, node context: NodeContext, connections: NodeConnections,
        failures: ChannelFailures, logger: Logger
    ) throws {
        let configuration = context.configuration
        let folder = context.channelFolder(genesis.name)
        let recorded = OrdererConfigurationWatch.recorded(in: folder, genesis: genesis, logger: logger)
        let channel = recorded?.channel ?? genesis
        let settings = channel.configuration
        guard let me = settings.orderers.first(where: { $0.tlsKeySHA256 == ConsenterPin.keySHA256(of: context.security.credentials.certificate) }) else {
            throw ChannelRefusal.notAMember(
                channel: channel.name,
                reason: "\(configuration.name) is not one of its consenters (\(settings.orderers.map(\.name).joined(separator: ", "))): no consenter has this orderer's TLS key")
        }
        guard me.signingKeySHA256 == ConsenterPin.keySHA256(of: context.identity.certificate) else {
            throw ChannelRefusal.notAMember(
                channel: channel.name, reason: "consenter \(me.name) pins another signing key than \(configuration.name)'s: peers would refuse its blocks")
        }
        let live = LiveChannel(channel)
        var ordering = OrderingConfiguration(
            nodeID: me.raftID, voters: settings.orderers.map(\.raftID), channelID: channel.name,
            directory: folder.path, signer: context.identity, batchLimits: Self.batchLimits(of: settings),
            validator: channel.validator, writerMSPIDs: Self.writers(of: channel))
        if let tick = settings.raft?.tickMilliseconds { ordering.tickInterval = .milliseconds(max(tick, 10)) }
        if let ticks = settings.raft?.electionTicks { ordering.electionTicks = max(ticks, 3) }
        let metrics = OrdererMetrics(channel: channel.name)
        ordering.observer = OrdererTracing.observing(metrics.observer)
        ordering.observer.membershipProposed = { [name = channel.name] voters in
            logger.notice("channel \(name): proposed Raft membership \(voters.map(String.init).joined(separator: ", "))")
        }
        ordering.genesis = channel.genesis
        ordering.configurationCheck = OrdererConfigurationWatch.check(live: live)
        let retired = self.retired
        let links = OrdererLinks(live: live, retired: retired, connections: connections, selfID: me.raftID)
        let node = try OrderingNode(configuration: ordering, transport: links)
        self.live = live
        self.node = node
        self.metrics = metrics
        self.folder = folder
        let watch = OrdererConfigurationWatch(live: live, retired: retired, node: node, folder: folder, admission: context.admission, logger: logger)
        logger.info("channel \(channel.name): Raft node \(me.raftID) of \(settings.orderers.count), height \(node.blockStore.tip.height), configuration version \(channel.config.sequence)")
        running = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await metrics.sample(node, connectedOrderers: { await connections.openCount }, outboxes: { links.outboxDepths }) }
                group.addTask { await links.run() }
                group.addTask { await watch.run(from: OrdererConfigurationWatch.resumeHeight(in: folder, recordedBlock: recorded?.blockNumber)) }
                do {
                    try await node.run()
                } catch where Task.isCancelled {
                    logger.error("channel \(channel.name): ordering stopped while the channel closed: \(error)")
                } catch {
                    // The supervisor logs it and stops the process.
                    failures.report(ComponentFailure(component: "the ordering node of channel \(channel.name)", error: error))
                }
                group.cancelAll()
            }
        }
    }

    /// The batch limits `settings` asks for (defaults where it is silent).
    static func batchLimits(of settings: ChannelConfiguration) -> BatchLimits {
        let batch = settings.batch ?? .init()
        let defaults = BatchLimits()
        return BatchLimits(
            maxEnvelopeCount: batch.maxTxCount ?? defaults.maxEnvelopeCount,
            preferredMaxBytes: batch.preferredMaxBytes ?? defaults.preferredMaxBytes,
            absoluteMaxBytes: batch.absoluteMaxBytes ?? defaults.absoluteMaxBytes,
            batchTimeout: batch.timeoutMilliseconds.map { .milliseconds($0) } ?? defaults.batchTimeout)
    }

    /// The organizations whose clients may broadcast: the peer organizations (every organization when
    /// the channel has only orderer organizations).
    static func writers(of channel: ChannelContext) -> Set<String> {
        let writers = Set(channel.config.organizations.filter { !$0.isOrdererOrganization }.map(\.mspID))
        return writers.isEmpty ? Set(channel.config.organizations.map(\.mspID)) : writers
    }

    var listing: JoinedChannel {
        let isConsenter = channel.configuration.orderers.contains { $0.raftID == node.id }
        return JoinedChannel(name: channel.name, height: node.blockStore.tip.height, genesisHash: channel.genesis.header.hash,
                             status: isConsenter ? "active" : "removed from the consenters")
    }

    /// The block of the configuration in force: the newest recorded one, or the genesis block.
    var configurationBlock: [UInt8] {
        let recorded = folder.appendingPathComponent(OrdererConfigurationWatch.recordFileName)
        return FileManager.default.contents(atPath: recorded.path).map { [UInt8]($0) } ?? channel.genesis.canonicalBytes
    }

    func close() async {
        running.cancel()
        await node.stop()
        await running.value
    }
}
