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
        /// A connection that sends nothing for this long is closed (slow or idle clients).
        public var idleTimeout: TimeAmount
        /// How long ``OperationsServer/shutdown()`` lets requests in progress finish before it closes
        /// their connections.
        public var shutdownGracePeriod: Duration

        /// A configuration listening on `host:port`.
        public init(host: String, port: Int, maxBodyBytes: Int = 64 * 1024, idleTimeout: TimeAmount = .seconds(60),
                    shutdownGracePeriod: Duration = .seconds(5)) {
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.idleTimeout = idleTimeout
            self.shutdownGracePeriod = shutdownGracePeriod
        }

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
