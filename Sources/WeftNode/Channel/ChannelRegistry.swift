#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOConcurrencyHelpers
import WeftCore
import WeftRPC

/// What a node runs for one joined channel (a peer's ledger and committer, an orderer's Raft group).
protocol ChannelService: AnyObject, Sendable {
    var channel: ChannelContext { get }
    /// The channel as `channelList` reports it.
    var listing: JoinedChannel { get }
    /// Stops the channel's work and releases its files.
    func close() async
}

/// The channels a node has joined, by name: opened at start from the data folder, joined and left at
/// run time by an administrator of the node's organization (`channelJoin`, `channelRemove`). Lookups
/// are lock-protected reads on every channel call.
final class ChannelRegistry<Service: ChannelService>: Sendable {
    typealias Opener = @Sendable (ChannelContext) throws -> Service
    /// Work before a joined channel opens (an orderer added since the genesis block fetches the
    /// configuration in force).
    typealias Preparer = @Sendable (ChannelContext) async throws -> Void
    let node: NodeContext
    private let open: Opener
    private let prepare: Preparer
    private let services = NIOLockedValueBox<[String: Service]>([:])
    /// Joins and leaves, one at a time.
    private let changes = ChangeLock()
    private let logger: Logger

    init(node: NodeContext, logger: Logger, prepare: @escaping Preparer = { _ in }, open: @escaping Opener) {
        self.node = node
        self.logger = logger
        self.prepare = prepare
        self.open = open
    }

    /// Opens every channel the data folder says the node has joined. A channel that cannot be opened
    /// is logged and skipped: the others still run.
    func openJoined() throws {
        for (name, file) in ChannelFolder.joined(in: node.channelsFolder) {
            do {
                let checked = try GenesisBlock.check(ChannelFolder.readGenesis(in: file.deletingLastPathComponent()))
                guard checked.channel.name == name else {
                    throw ChannelRefusal.malformedGenesis("the block in channels/\(name) opens channel '\(checked.channel.name)'")
                }
                let service = try open(checked.channel)
                services.withLockedValue { $0[name] = service }
                logger.info("channel \(name): opened (genesis \(checked.hashHex.prefix(16))…)")
            } catch {
                logger.error("channel \(name): cannot open: \(error)")
            }
        }
        try node.admission.update(channels: all.map(\.channel))
    }

    /// Every open channel, sorted by name.
    var all: [Service] { services.withLockedValue { $0.values.sorted { $0.channel.name < $1.channel.name } } }

    /// The channels as `channelList` reports them.
    var listing: JoinedChannels { JoinedChannels(all.map(\.listing)) }

    /// The channel a request names, after checking that `caller` may use it for `access`.
    func resolve(_ request: [UInt8], caller: Caller, access: ChannelContext.Access) throws(RPCError) -> (Service, [UInt8]) {
        let scoped: ChannelRequest
        do { scoped = try ChannelRequest(canonicalBytes: request) } catch {
            throw RPCError(.badRequest, "malformed channel request: \(error)")
        }
        guard let service = services.withLockedValue({ $0[scoped.channel] }) else {
            throw RPCError(.badRequest, "\(node.configuration.name) has not joined channel '\(scoped.channel.prefix(64))'")
        }
        try service.channel.authorize(caller, for: access)
        return (service, scoped.body)
    }

    /// Joins the channel `genesisBytes` opens: checks the block, refuses a second join and a node
    /// whose organization is not a member, then writes the block and starts the channel.
    func join(genesisBytes: [UInt8]) async throws -> JoinedChannels {
        try await changes.run {
            let checked = try GenesisBlock.check(genesisBytes)
            let name = checked.channel.name
            if let existing = services.withLockedValue({ $0[name] }) {
                let have = Hex.encode(existing.channel.genesis.header.hash)
                if have == checked.hashHex { throw ChannelRefusal.alreadyJoined(name) }
                throw ChannelRefusal.genesisMismatch(channel: name, have: have, given: checked.hashHex)
            }
            let mspID = node.configuration.mspID
            if checked.channel.validator.membership.organization(mspID: mspID) == nil {
                // An organization added by a configuration update joins with block 0 too, and learns
                // of its membership when it commits that update. An orderer must be a consenter
                // (the opener refuses it otherwise).
                guard node.configuration.role == .peer else {
                    throw ChannelRefusal.notAMember(channel: name, reason: "\(mspID) is not an organization of the channel")
                }
                logger.notice("channel \(name): \(mspID) is not an organization in block 0; the orderers deliver to this peer once a configuration update adds it")
            }
            try await prepare(checked.channel)
            let service = try open(checked.channel)
            do {
                try ChannelFolder.writeGenesis(genesisBytes, in: node.channelFolder(name))
            } catch {
                await service.close()
                throw error
            }
            services.withLockedValue { $0[name] = service }
            try node.admission.update(channels: all.map(\.channel))
            logger.notice("channel \(name): joined (genesis \(checked.hashHex.prefix(16))…)")
            return listing
        }
    }

    /// Leaves channel `name`: stops it and removes its genesis block; with `deleteData`, the whole
    /// channel folder and (on a peer) its ledger file too.
    func remove(_ name: String, deleteData: Bool, dataFiles: @Sendable (String) -> [String]) async throws -> JoinedChannels {
        try await changes.run {
            guard let service = services.withLockedValue({ $0.removeValue(forKey: name) }) else { throw ChannelRefusal.notJoined(name) }
            await service.close()
            let folder = node.channelFolder(name)
            let fileManager = FileManager.default
            try? fileManager.removeItem(at: folder.appendingPathComponent(ChannelFolder.genesisFileName))
            if deleteData {
                try? fileManager.removeItem(at: folder)
                for path in dataFiles(name) { try? fileManager.removeItem(atPath: path) }
            }
            try node.admission.update(channels: all.map(\.channel))
            logger.notice("channel \(name): left\(deleteData ? " and its data deleted" : "; its data stays in \(folder.path)")")
            return listing
        }
    }

    /// Stops every channel.
    func closeAll() async {
        let open = services.withLockedValue { services in
            defer { services = [:] }
            return Array(services.values)
        }
        for service in open { await service.close() }
    }
}

/// Runs operations one at a time, in arrival order, without blocking a thread.
actor ChangeLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        if busy { await withCheckedContinuation { waiters.append($0) } } else { busy = true }
        defer {
            if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
        }
        return try await operation()
    }
}
