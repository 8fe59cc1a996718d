import NIOCore

extension OperationsServer {
    /// Where the operations server listens and how it treats clients.
    public struct Configuration: Sendable {
        /// The host or IP address to bind, e.g. `0.0.0.0` or `127.0.0.1`.
        public var host: String
        /// The TCP port; 0 lets the system choose (read ``OperationsServer/port`` after start).
        public var port: Int
        /// The largest request body accepted; a larger one gets 413 and the connection closes.
        public var maxBodyBytes: Int
        /// A kept-alive connection that starts no new request for this long after a response is closed.
        public var idleTimeout: TimeAmount
        /// The absolute time a client has to send a request whole (head and body): from the accepted
        /// connection for the first request (the TLS handshake included), from the request's first byte
        /// for later ones. Bytes arriving do not extend it, so a client trickling bytes is closed.
        public var requestTimeout: TimeAmount
        /// The most connections open at once; a connection over the cap is closed as soon as it is
        /// accepted (the first refusal of a burst is logged).
        public var maxConnections: Int
        /// HTTPS settings, or nil for plain HTTP (then every route is open to whoever reaches the port).
        public var tls: OperationsTLS?
        /// How long ``OperationsServer/shutdown()`` lets requests in progress finish before it closes
        /// their connections.
        public var shutdownGracePeriod: Duration

        /// A configuration listening on `host:port`.
        public init(host: String, port: Int, maxBodyBytes: Int = 64 * 1024, idleTimeout: TimeAmount = .seconds(60),
                    shutdownGracePeriod: Duration = .seconds(5), requestTimeout: TimeAmount = .seconds(10),
                    maxConnections: Int = 64, tls: OperationsTLS? = nil) {
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.idleTimeout = idleTimeout
            self.shutdownGracePeriod = shutdownGracePeriod
            self.requestTimeout = requestTimeout
            self.maxConnections = maxConnections
            self.tls = tls
        }

        /// `https` with ``tls``, `http` without.
        public var scheme: String { tls == nil ? "http" : "https" }

        /// A configuration from a `host:port` address as written in node YAML (`operations:`) or
        /// `WEFT_OPERATIONS`: `0.0.0.0:9443`, `127.0.0.1:0`, `[::1]:9443`.
        public init(listenAddress: String) throws(OperationsError) {
            let (host, port) = try Self.split(listenAddress)
            self.init(host: host, port: port)
        }

        /// `host:port` → (host, port); IPv6 hosts in brackets.
        static func split(_ address: String) throws(OperationsError) -> (host: String, port: Int) {
            let trimmed = address.trimmingWhitespace()
            guard let colon = trimmed.lastIndex(of: ":") else { throw .invalidListenAddress(address) }
            var host = String(trimmed[..<colon])
            let portText = trimmed[trimmed.index(after: colon)...]
            if host.hasPrefix("[") && host.hasSuffix("]") && host.count >= 2 {
                host = String(host.dropFirst().dropLast())
            }
            guard !host.isEmpty, !host.contains(" "),
                  !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
                  let port = Int(portText), (0...65535).contains(port)
            else { throw .invalidListenAddress(address) }
            return (host, port)
        }
    }
}
