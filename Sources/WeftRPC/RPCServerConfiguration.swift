import NIOCore

/// Tunables of an `RPCServer`. The defaults suit a node on a LAN.
public struct RPCServerConfiguration: Sendable {
    /// The host or address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The port to bind; 0 picks a free port (read it back from `RPCServer.port`).
    public var port: Int
    /// The largest frame (length prefix value) accepted or sent. Default 16 MiB, above the
    /// orderer's `absoluteMaxBytes` of 10 MiB so a full block fits in one stream item.
    public var maximumFrameLength: Int
    /// A connection that has not completed its handshake within this time is closed.
    public var handshakeTimeout: TimeAmount
    /// When a connection has this many calls in flight, the server stops reading from it until
    /// some finish (the frames of one read may go a little beyond).
    public var maximumConcurrentCallsPerConnection: Int
    /// Listen backlog.
    public var backlog: Int32
    /// The most connections the server holds; more are closed as soon as they are accepted.
    public var maximumConnections: Int
    /// The most connections one remote address may have in their TLS handshake at once; more are
    /// closed as soon as they are accepted (authenticated connections do not count).
    public var maximumHandshakesPerAddress: Int

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        maximumFrameLength: Int = 16 << 20,
        handshakeTimeout: TimeAmount = .seconds(10),
        maximumConcurrentCallsPerConnection: Int = 1024,
        backlog: Int32 = 1024,
        maximumConnections: Int = 8192,
        maximumHandshakesPerAddress: Int = 512
    ) {
        self.maximumConnections = maximumConnections
        self.maximumHandshakesPerAddress = maximumHandshakesPerAddress
        self.host = host
        self.port = port
        self.maximumFrameLength = maximumFrameLength
        self.handshakeTimeout = handshakeTimeout
        self.maximumConcurrentCallsPerConnection = maximumConcurrentCallsPerConnection
        self.backlog = backlog
    }
}
