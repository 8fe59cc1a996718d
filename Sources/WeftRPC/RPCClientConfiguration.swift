import NIOCore

/// Tunables of an `RPCClient`.
public struct RPCClientConfiguration: Sendable {
    /// The largest frame (length prefix value) accepted or sent; must match the server's.
    public var maximumFrameLength: Int
    /// How long to wait for the TCP connection.
    public var connectTimeout: TimeAmount
    /// How long the handshake may take once connected.
    public var handshakeTimeout: TimeAmount
    /// The timeout of a unary call that does not name its own.
    public var defaultCallTimeout: TimeAmount
    /// Bytes of stream items a stream may buffer before the server must wait for the consumer.
    public var streamWindow: Int

    /// Creates a configuration.
    public init(
        maximumFrameLength: Int = 16 << 20,
        connectTimeout: TimeAmount = .seconds(5),
        handshakeTimeout: TimeAmount = .seconds(10),
        defaultCallTimeout: TimeAmount = .seconds(30),
        streamWindow: Int = 1 << 20
    ) {
        self.maximumFrameLength = maximumFrameLength
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.defaultCallTimeout = defaultCallTimeout
        self.streamWindow = streamWindow
    }
}
