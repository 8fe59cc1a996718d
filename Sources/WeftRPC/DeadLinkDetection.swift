#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// How a connection notices that the other side became unreachable (a partition, a host that lost its
/// network) in seconds instead of the kernel's defaults — two hours of silence before the first
/// keepalive probe, and retransmissions backed off for many minutes. Without it a peer whose deliver
/// stream crossed a partition sits on the dead connection long after the network heals, because the
/// sender's retransmission timer has backed off to tens of seconds (Network/test-hosts.sh measured
/// 25 s of catch-up after a 30 s isolation).
///
/// - Keepalive: the first probe after `idleSeconds` without traffic, then every `intervalSeconds`;
///   `probes` unanswered probes close the connection (about 11 s).
/// - User timeout: data left unacknowledged for `userTimeoutMilliseconds` closes the connection
///   (a stream whose receiver vanished), well above any round trip with retransmissions on a
///   wide-area link.
///
/// A closed connection then fails its calls and streams with `unavailable`, which every caller
/// already treats as "try again or try another node".
enum DeadLinkDetection {
    static let idleSeconds: SocketOptionValue = 5
    static let intervalSeconds: SocketOptionValue = 2
    static let probes: SocketOptionValue = 3
    static let userTimeoutMilliseconds: SocketOptionValue = 20_000

    #if os(Linux)
    static let options: [(ChannelOptions.Types.SocketOption, SocketOptionValue)] = [
        (.socketOption(.so_keepalive), 1),
        (.tcpOption(.init(rawValue: TCP_KEEPIDLE)), idleSeconds),
        (.tcpOption(.init(rawValue: TCP_KEEPINTVL)), intervalSeconds),
        (.tcpOption(.init(rawValue: TCP_KEEPCNT)), probes),
        (.tcpOption(.init(rawValue: TCP_USER_TIMEOUT)), userTimeoutMilliseconds),
    ]
    #else
    static let options: [(ChannelOptions.Types.SocketOption, SocketOptionValue)] = [(.socketOption(.so_keepalive), 1)]
    #endif
}

extension ClientBootstrap {
    /// Sets `DeadLinkDetection`'s socket options on the connection.
    func detectingDeadLinks() -> ClientBootstrap {
        DeadLinkDetection.options.reduce(self) { bootstrap, option in bootstrap.channelOption(option.0, value: option.1) }
    }
}

extension ServerBootstrap {
    /// Sets `DeadLinkDetection`'s socket options on every accepted connection.
    func childrenDetectingDeadLinks() -> ServerBootstrap {
        DeadLinkDetection.options.reduce(self) { bootstrap, option in bootstrap.childChannelOption(option.0, value: option.1) }
    }
}
