#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import WeftCore
import WeftRPC

/// An orderer joining a channel whose genesis block does not list it — a configuration update added
/// it since (docs/governance.md, "Adding and removing orderers"). Before the channel opens, the
/// orderer asks the consenters the genesis block names for the configuration in force (`configBlock`,
/// over TLS pinned to their keys), checks that it is the channel's and lists this orderer, and records
/// it as the channel's `config.block`: the channel starts from it, and the Raft leader, once it has
/// added this orderer to Raft's membership, brings the blocks.
enum OrdererOnboarding {
    /// Records the configuration in force when the genesis block does not list this orderer; does
    /// nothing when it does (or when the channel's folder already holds a configuration that does).
    /// Throws when no consenter of the genesis block gives a configuration that lists it.
    static func prepare(
        genesis: ChannelContext, node: NodeContext, connections: NodeConnections, logger: Logger
    ) async throws {
        let key = ConsenterPin.keySHA256(of: node.security.credentials.certificate)
        let lists = { (channel: ChannelContext) in channel.configuration.orderers.contains { $0.tlsKeySHA256 == key } }
        guard !lists(genesis) else { return }
        let folder = node.channelFolder(genesis.name)
        if let recorded = OrdererConfigurationWatch.recorded(in: folder, genesis: genesis, logger: logger), lists(recorded.channel) { return }
        var reasons: [String] = []
        for orderer in genesis.configuration.orderers {
            do {
                let client = try await connections.client(for: orderer, of: genesis)
                let bytes = try await client.call(.configBlock, ChannelRequest(channel: genesis.name, body: []).canonicalBytes, timeout: .seconds(10))
                let block = try Block(canonicalBytes: bytes)
                guard let entry = block.configurationEntry, block.number > 0 else {
                    reasons.append("\(orderer.name): the channel's configuration is still its genesis block's")
                    continue
                }
                let channel = try ChannelContext(recorded: entry, genesis: genesis.genesis)
                guard lists(channel) else {
                    reasons.append("\(orderer.name): configuration version \(channel.config.sequence) (block \(block.number)) does not list this orderer")
                    continue
                }
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(bytes).write(to: folder.appendingPathComponent(OrdererConfigurationWatch.recordFileName), options: .atomic)
                logger.notice("channel \(genesis.name): joining as a consenter added by configuration version \(channel.config.sequence) (block \(block.number)), as \(orderer.name) reports it")
                return
            } catch {
                reasons.append("\(orderer.name) (\(orderer.address)): \(error)")
            }
        }
        throw ChannelRefusal.notAMember(
            channel: genesis.name,
            reason: "this orderer is not a consenter in the genesis block, and no consenter the genesis block names gave a configuration that lists it "
                + "(submit the update that adds it first): \(reasons.joined(separator: "; "))")
    }
}
