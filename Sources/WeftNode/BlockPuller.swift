import Committer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOConcurrencyHelpers
import WeftCore
import WeftRPC
import Wire

/// Keeps a peer's ledger up to date: streams blocks from one orderer at a time (`deliver` from the
/// peer's height) into the committer, and moves on to the next orderer when one fails or its link
/// dies (TCP keepalive), so a peer that fell behind or restarted catches up by itself. An orderer that
/// stays connected but stops advancing while others go on is not detected yet (seen across a lossy
/// WAN link: docs/deployment.md, "Separate hosts"). A block the committer refuses (not
/// signed by the orderers, not the next link) ends the stream from that orderer; a failed commit is
/// the committer's to retry, and is logged here once when it starts and once when it is over.
struct BlockPuller: Sendable {
    let node: NodeContext
    let channel: ChannelContext
    let committer: Committer
    let logger: Logger
    /// Connected to an orderer right now (for health checks).
    let connected = ConnectionFlag()

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await logCommitHealth() }
            group.addTask { await pullFromOrderers() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Logs each change of the committer's health: a failing commit once, and its recovery.
    private func logCommitHealth() async {
        var wasHealthy = true
        for await health in await committer.healthChanges() {
            if !health.isHealthy {
                logger.error("committer: \(health)")
            } else if !wasHealthy {
                logger.info("committer recovered: \(health)")
            }
            wasHealthy = health.isHealthy
        }
    }

    private func pullFromOrderers() async {
        let orderers = channel.configuration.orderers
        var attempt = 0
        while !Task.isCancelled {
            let orderer = orderers[attempt % orderers.count]
            attempt += 1
            do {
                try await pull(from: orderer)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("\(channel.name): deliver from \(orderer.name) (\(orderer.address)) stopped: \(error); trying the next orderer")
            }
            connected.set(false)
            try? await Task.sleep(for: .milliseconds(attempt % orderers.count == 0 ? 500 : 50))
        }
    }

    private func pull(from orderer: ChannelConfiguration.Orderer) async throws {
        guard let endpoint = Endpoint(orderer.address) else { throw RPCError(.badRequest, "bad orderer address \(orderer.address)") }
        let client = try await RPCClient.connect(
            host: endpoint.host, port: endpoint.port, security: node.security, serverName: orderer.name,
            authorizeServer: channel.consenterAuthorizer(orderer, admission: node.authorizer(requiring: .orderer)), logger: logger)
        defer { Task { await client.close() } }
        let start = await committer.height
        connected.set(true)
        logger.info("\(channel.name): pulling blocks from \(orderer.name) starting at \(start)")
        let request = ChannelRequest(channel: channel.name, body: StreamStart(start: start).canonicalBytes)
        for try await item in client.stream(.deliver, request.canonicalBytes) {
            let block = try Block(canonicalBytes: item)
            try await committer.submit(block)
        }
    }
}

/// A thread-safe boolean.
final class ConnectionFlag: @unchecked Sendable {
    // Guarded by `lock`; read from health checks and written by the puller.
    private let lock = NIOLock()
    private var value = false

    func set(_ newValue: Bool) { lock.withLock { value = newValue } }
    var isSet: Bool { lock.withLock { value } }
}
