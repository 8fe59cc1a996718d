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
final class OrdererChannel: ChannelService {
    let channel: ChannelContext
    let node: OrderingNode
    let metrics: OrdererMetrics
    private let running: Task<Void, Never>

    /// Opens (or creates) the channel's ordering state, storing the genesis block as block 0 of a new
    /// chain, and starts ordering. Throws when this orderer is not one of the channel's consenters.
    init(channel: ChannelContext, node context: NodeContext, connections: OrdererConnections, logger: Logger) throws {
        let configuration = context.configuration
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
        let batch = settings.batch ?? .init()
        let defaults = BatchLimits()
        let limits = BatchLimits(
            maxEnvelopeCount: batch.maxTxCount ?? defaults.maxEnvelopeCount,
            preferredMaxBytes: batch.preferredMaxBytes ?? defaults.preferredMaxBytes,
            absoluteMaxBytes: batch.absoluteMaxBytes ?? defaults.absoluteMaxBytes,
            batchTimeout: batch.timeoutMilliseconds.map { .milliseconds($0) } ?? defaults.batchTimeout)
        let writers = Set(channel.config.organizations.filter { !$0.isOrdererOrganization }.map(\.mspID))
        var ordering = OrderingConfiguration(
            nodeID: me.raftID, voters: settings.orderers.map(\.raftID), channelID: channel.name,
            directory: context.channelFolder(channel.name).path, signer: context.identity, batchLimits: limits,
            validator: channel.validator,
            writerMSPIDs: writers.isEmpty ? Set(channel.config.organizations.map(\.mspID)) : writers)
        if let tick = settings.raft?.tickMilliseconds { ordering.tickInterval = .milliseconds(max(tick, 10)) }
        if let ticks = settings.raft?.electionTicks { ordering.electionTicks = max(ticks, 3) }
        let metrics = OrdererMetrics(channel: channel.name)
        ordering.observer = OrdererTracing.observing(metrics.observer)
        ordering.genesis = channel.genesis
        let links = OrdererLinks(channel: channel, connections: connections, selfID: me.raftID)
        let node = try OrderingNode(configuration: ordering, transport: links)
        self.channel = channel
        self.node = node
        self.metrics = metrics
        logger.info("channel \(channel.name): Raft node \(me.raftID) of \(settings.orderers.count), height \(node.blockStore.tip.height)")
        running = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await metrics.sample(node, connectedOrderers: { await connections.openCount }) }
                group.addTask { await links.run() }
                do {
                    try await node.run()
                } catch {
                    logger.error("channel \(channel.name): ordering stopped: \(error)")
                }
                group.cancelAll()
            }
        }
    }

    var listing: JoinedChannel {
        JoinedChannel(name: channel.name, height: node.blockStore.tip.height, genesisHash: channel.genesis.header.hash,
                      status: "active")
    }

    func close() async {
        running.cancel()
        await node.stop()
        await running.value
    }
}
