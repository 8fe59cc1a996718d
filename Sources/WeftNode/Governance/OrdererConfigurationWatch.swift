#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Orderer
import WeftCore

/// An orderer's side of configuration updates (docs/governance.md): the check before one is ordered,
/// and the watch over the channel's written blocks that puts each valid update in force — the batch
/// limits and writers of the ordering node, the consenters' addresses and keys of its links, the
/// organizations admitted to the node — and records its block as `config.block` in the channel's
/// folder, so a restarted orderer starts from it.
struct OrdererConfigurationWatch: Sendable {
    static let recordFileName = "config.block"
    /// The height up to which the watch has looked at every block (a restart resumes after it, not
    /// after the last configuration block, which may be far back).
    static let scannedFileName = "config.scanned"
    /// How often (in blocks) the scanned height is recorded.
    static let scannedInterval: UInt64 = 256

    let live: LiveChannel
    let retired: RetiredConsenters
    let node: OrderingNode
    let folder: URL
    let admission: NodeAdmission
    let logger: Logger

    /// The broadcast check of configuration updates: the update must be valid against the
    /// configuration in force now and not dated in the future. Returns its transaction id.
    static func check(live: LiveChannel, now: @escaping @Sendable () -> Date = { Date() }) -> @Sendable ([UInt8]) throws(BroadcastRejection) -> String {
        { bytes throws(BroadcastRejection) in
            let transaction: ConfigTransaction
            let config: ChannelConfig
            do {
                transaction = try ConfigTransaction(canonicalBytes: bytes)
                config = try transaction.config()
            } catch {
                throw BroadcastRejection(.badRequest, "malformed configuration update: \(error)")
            }
            let skew = Double(config.timestamp) / 1000 - now().timeIntervalSince1970
            guard skew <= 600 else {
                throw BroadcastRejection(.badRequest, "the update is dated \(Int(skew)) s ahead of the orderer's clock; at most 600 s is accepted")
            }
            do throws(ChannelRefusal) {
                _ = try live.current.checkUpdate(transaction)
            } catch {
                switch error {
                case .badSignature, .updateNotAuthorized: throw BroadcastRejection(.forbidden, "\(error)")
                default: throw BroadcastRejection(.badRequest, "\(error)")
                }
            }
            return transaction.txID
        }
    }

    /// The newest configuration this orderer recorded for the channel, with the number of its block;
    /// nil when it recorded none (or the record is unreadable: the watch then replays from block 1).
    static func recorded(in folder: URL, genesis: ChannelContext, logger: Logger) -> (channel: ChannelContext, blockNumber: UInt64)? {
        let file = folder.appendingPathComponent(recordFileName)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        do {
            let block = try Block(canonicalBytes: [UInt8](data))
            return (try ChannelContext(recorded: block.data.first ?? [], genesis: genesis.genesis), block.number)
        } catch {
            logger.error("channel \(genesis.name): \(file.path) is unreadable (\(error)); replaying the configuration from block 1")
            return nil
        }
    }

    /// Where a restarted watch resumes: after the newest configuration block it recorded, or after the
    /// height it recorded having scanned, whichever is later.
    static func resumeHeight(in folder: URL, recordedBlock: UInt64?) -> UInt64 {
        let scanned = FileManager.default.contents(atPath: folder.appendingPathComponent(scannedFileName).path)
            .flatMap { UInt64(String(decoding: $0, as: UTF8.self).trimmingWhitespaceAndNewlines()) } ?? 0
        return max((recordedBlock ?? 0) + 1, scanned)
    }

    /// Watches the channel's blocks from `start` on and puts each valid configuration update in force.
    func run(from start: UInt64) async {
        do {
            // Once a configuration could not be recorded, no later height is: a restart must see it again.
            var recording = true
            for try await block in node.deliver(from: start) {
                if let entry = block.configurationEntry { recording = await apply(entry, of: block) && recording }
                if recording, (block.number + 1) % Self.scannedInterval == 0 { recordScanned(block.number + 1) }
            }
        } catch {
            if !Task.isCancelled { logger.debug("channel \(live.current.name): configuration watch ended: \(error)") }
        }
    }

    /// Records that every block below `height` was looked at (best effort: a failure only means a
    /// longer scan after a restart).
    private func recordScanned(_ height: UInt64) {
        try? Data("\(height)\n".utf8).write(to: folder.appendingPathComponent(Self.scannedFileName), options: .atomic)
    }

    /// Checks the configuration block against the configuration in force (as every peer does) and,
    /// when valid, puts it in force; an invalid one changes nothing. Returns false when a valid one
    /// could not be recorded.
    private func apply(_ entry: [UInt8], of block: Block) async -> Bool {
        let current = live.current
        let next: ChannelContext
        do {
            next = try current.checkUpdate(try ConfigTransaction(canonicalBytes: entry))
        } catch {
            logger.error("channel \(current.name): block \(block.number): configuration update refused (INVALID_CONFIG_TRANSACTION): \(error)")
            return true
        }
        do {
            try await node.reconfigure(
                batchLimits: OrdererChannel.batchLimits(of: next.configuration), validator: next.validator,
                writerMSPIDs: OrdererChannel.writers(of: next), voters: next.configuration.orderers.map(\.raftID))
        } catch {
            logger.error("channel \(current.name): block \(block.number): the ordering node refused configuration \(next.config.sequence): \(error)")
            return false
        }
        retired.retire(from: current.configuration, to: next.configuration)
        live.replace(with: next)
        do { try admission.replace(next) } catch {
            logger.error("channel \(next.name): admitting the members of configuration \(next.config.sequence) failed: \(error)")
        }
        logger.notice("channel \(next.name): configuration version \(next.config.sequence) in force from block \(block.number + 1)")
        let consenters = { (channel: ChannelContext) in channel.configuration.orderers.map(\.name) }
        if consenters(next) != consenters(current) {
            logger.notice("channel \(next.name): consenters now \(consenters(next).joined(separator: ", ")); Raft's membership follows one orderer at a time")
        }
        if !next.configuration.orderers.contains(where: { $0.raftID == node.id }) {
            logger.notice("channel \(next.name): this orderer is no longer a consenter; it hands over its part and orders nothing more for the channel")
        }
        do {
            try Data(block.canonicalBytes).write(to: folder.appendingPathComponent(Self.recordFileName), options: .atomic)
            return true
        } catch {
            logger.error("channel \(next.name): recording configuration \(next.config.sequence) failed (a restart replays it): \(error)")
            return false
        }
    }
}
