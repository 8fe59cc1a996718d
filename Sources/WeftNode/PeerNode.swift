import Committer
import Endorser
import Execution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Ledger
import Logging
import Operations
import ServiceLifecycle
import WeftCore
import WeftRPC
import Wire

/// The peer process: endorses proposals, pulls blocks from the orderers, validates and commits them,
/// answers ledger queries and streams commit events. Runs until a graceful shutdown (SIGTERM/SIGINT).
public final class PeerNode: Service, Sendable {
    public let context: NodeContext
    private let logger: Logger
    private let ready: ReadySignal

    public init(context: NodeContext, logger: Logger = Logger(label: "weft.peer")) {
        self.context = context
        self.logger = logger
        ready = ReadySignal()
    }

    /// The port the peer listens on, once it does.
    public func listeningPort() async -> Int { await ready.port() }

    public func run() async throws {
        let configuration = context.configuration
        NodeOperations.bootstrapMetrics(context)
        try context.prepareDataDirectory()
        let ledger = try Ledger.open(path: context.ledgerPath)
        defer { ledger.close() }
        let metrics = PeerMetrics(height: ledger.chainInfo.height)
        let registry = try BuiltinChaincodes.registry(for: configuration.channel.chaincodes)
        let policies = try Dictionary(uniqueKeysWithValues: configuration.channel.chaincodes.map {
            ($0.name, try EndorsementPolicy($0.policy))
        })
        let endorser = Endorser(configuration: .init(
            channelID: configuration.channel.id, signer: context.identity, validator: context.validator,
            registry: registry, ledger: ledger))
        let committer = Committer(configuration: .init(
            ledger: ledger,
            transactionCheck: TransactionCheck(channelID: configuration.channel.id, validator: context.validator, policies: policies),
            blockSignatureCheck: BlockSignatureCheck(
                validator: context.validator, policy: try EndorsementPolicy(configuration.channel.blockPolicy ?? "ANY orderer"),
                consenterSigningKeys: context.consenterSigningKeys),
            observer: PeerTracing.observing(metrics.committed)))

        guard let listen = Endpoint(configuration.listen) else { throw ConfigurationError.invalid(path: "listen", reason: configuration.listen) }
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(host: listen.host, port: listen.port),
            security: context.security,
            routes: PeerRoutes.make(endorser: endorser, committer: committer, ledger: ledger, metrics: metrics, logger: logger),
            authorize: context.authorizer, logger: logger)
        await ready.set(port: server.port)
        logger.info("peer \(configuration.name) serving channel \(configuration.channel.id) on \(listen.host):\(server.port), height \(ledger.chainInfo.height)")

        let deliver = BlockPuller(context: context, committer: committer, logger: logger)
        let connected = deliver.connected
        let operations = try await NodeOperations.start(context, checks: [
            ("orderer", {
                guard connected.isSet else { throw HealthCheckFailure("not connected to any orderer of \(configuration.channel.id)") }
            }),
            ("committer", {
                let health = await committer.health
                guard health.isHealthy else { throw HealthCheckFailure("\(health)") }
            }),
        ], logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await deliver.run() }
            group.addTask { await self.context.certificateReloader(logger: self.logger).run() }
            group.addTask { [ledgerPath = context.ledgerPath] in await metrics.sample(ledgerPath: ledgerPath, connected: connected) }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("peer \(configuration.name) shutting down at height \(ledger.chainInfo.height)")
        await server.shutdown()
        await operations?.shutdown()
    }
}

/// Hands the bound port from `run()` to whoever waits for it (tests, `weft network up`).
actor ReadySignal {
    private var boundPort: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    func set(port: Int) {
        boundPort = port
        for waiter in waiters { waiter.resume(returning: port) }
        waiters = []
    }

    func port() async -> Int {
        if let boundPort { return boundPort }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
