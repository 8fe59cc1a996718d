import Committer
import Logging
import WeftCore
import WeftProtocol
import WeftRPC
import Wire

/// The consenters of one of the peer's channels as a block source (each request names the channel), over mutual TLS: `deliver` streams and
/// `ordererStatus` calls, each on a connection of its own, closed when done.
struct RPCBlockSource: OrdererBlockSource {
    let node: NodeContext
    let live: LiveChannel
    let logger: Logger

    /// The configuration in force (its consenters change with configuration updates).
    private var channel: ChannelContext { live.current }
    private var orderers: [ChannelConfiguration.Orderer] { channel.configuration.orderers }

    var ordererCount: Int { orderers.count }

    func name(of orderer: Int) -> String {
        let orderers = self.orderers
        guard orderers.indices.contains(orderer) else { return "orderer \(orderer + 1) (channel \(channel.name))" }
        return "\(orderers[orderer].name) (\(orderers[orderer].address), channel \(channel.name))"
    }

    /// `body` addressed to the channel.
    private func scoped(_ body: [UInt8]) -> [UInt8] { ChannelRequest(channel: channel.name, body: body).canonicalBytes }

    func deliver(
        from orderer: Int, startingAt start: UInt64, connected: @Sendable () -> Void,
        into body: @Sendable (Block) async throws -> Void
    ) async throws {
        try await withConnection(to: orderer) { client in
            connected()
            let raftID = orderers[orderer].raftID
            for try await item in client.stream(.deliver, scoped(StreamStart(start: start).canonicalBytes)) {
                try await body(try Block(canonicalBytes: item))
                // A configuration update removed this orderer: it orders nothing more; the next one does.
                if !orderers.contains(where: { $0.raftID == raftID }) { return }
            }
        }
    }

    func height(of orderer: Int) async throws -> UInt64 {
        try await withConnection(to: orderer) { client in
            try OrdererStatusReport(canonicalBytes: await client.call(.ordererStatus, scoped([]), timeout: .seconds(2))).height
        }
    }

    /// Runs `body` on a new connection to `orderer`, closing it afterwards.
    private func withConnection<Result: Sendable>(
        to orderer: Int, _ body: (RPCClient) async throws -> Result
    ) async throws -> Result {
        let channel = self.channel
        guard channel.configuration.orderers.indices.contains(orderer) else {
            throw RPCError(.unavailable, "channel \(channel.name) has \(channel.configuration.orderers.count) orderers now")
        }
        let configuration = channel.configuration.orderers[orderer]
        guard let endpoint = Endpoint(configuration.address) else {
            throw RPCError(.badRequest, "bad orderer address \(configuration.address)")
        }
        let client = try await RPCClient.connect(
            host: endpoint.host, port: endpoint.port, security: node.security, serverName: configuration.name,
            authorizeServer: channel.consenterAuthorizer(configuration, admission: node.authorizer(requiring: .orderer)), logger: logger)
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }
}

extension Committer: BlockSink {}
