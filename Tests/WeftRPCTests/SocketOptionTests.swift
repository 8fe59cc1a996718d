#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import Testing
@testable import WeftRPC

/// The socket options both ends of a connection really get. `TCP_NODELAY` is a TCP-level option: asked
/// for at the socket level it becomes `SO_DEBUG` (both are 1 on Linux), which only CAP_NET_ADMIN may
/// set — unnoticed as root, but every connection of a non-root node (a container) failed with EACCES.
@Suite struct SocketOptionTests {
    let network: TestNetwork

    init() throws { network = try TestNetwork() }

    @Test func bothEndsSetNoDelayAndKeepAliveButNotDebug() async throws {
        try await withServer(network, routes: standardRoutes()) { server in
            let client = try await network.connect(to: server)
            #expect(try await client.call(.ping, [1]) == [1])
            let accepted = try #require(server.environment.openChannels.first)
            let debug = ChannelOptions.Types.SocketOption(level: .socket, name: NIOBSDSocket.Option(rawValue: SO_DEBUG))
            for channel in [client.channel, accepted] {
                #expect(try await channel.getOption(.tcpOption(.tcp_nodelay)) == 1)
                #expect(try await channel.getOption(.socketOption(.so_keepalive)) == 1)
                #expect(try await channel.getOption(debug) == 0)
            }
            await client.close()
        }
    }
}
