import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// POSTs OTLP/JSON export requests to a collector over HTTP/1.1 (TLS for `https`), one connection per
/// export, closed after the answer: an export every few seconds needs no pool, and a collector that
/// restarted is simply dialled again.
///
/// A 2xx answer is success; anything else, a connection that fails or closes early, and no answer
/// within `timeout` (connection and TLS handshake included) are ``OTLPHTTPTransport/Failure``s.
public struct OTLPHTTPTransport: SpanTransport {
    /// Why an export did not reach the collector.
    public enum Failure: Error, CustomStringConvertible {
        /// The collector answered with a status other than 2xx.
        case refused(status: UInt, body: String)
        /// No answer within the timeout.
        case timedOut(Duration)
        /// The connection closed before a whole answer came.
        case closedEarly

        public var description: String {
            switch self {
            case .refused(let status, let body): "the collector answered \(status)\(body.isEmpty ? "" : ": \(body)")"
            case .timedOut(let timeout): "no answer within \(timeout)"
            case .closedEarly: "the collector closed the connection before it answered"
            }
        }
    }

    /// Where requests go.
    public let url: CollectorURL
    /// Extra request headers (`OTEL_EXPORTER_OTLP_HEADERS`: an API key, a tenant).
    public let headers: [(name: String, value: String)]
    /// The longest one export may take, connecting and the TLS handshake included.
    public let timeout: Duration
    private let tls: NIOSSLContext?
    private let group: any EventLoopGroup

    /// A transport to `url`; `tls` is required for an `https` URL and unused otherwise.
    public init(
        url: CollectorURL, headers: [(name: String, value: String)] = [], tls: NIOSSLContext?, timeout: Duration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.url = url
        self.headers = headers
        self.tls = url.isTLS ? tls : nil
        self.timeout = timeout
        self.group = group
    }

    public func send(_ body: [UInt8]) async throws {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: Void.self)
        let timeout = self.timeout
        let deadline = eventLoop.scheduleTask(in: TimeAmount(timeout)) { promise.fail(Failure.timedOut(timeout)) }
        defer { deadline.cancel() }
        let request = requestHead(contentLength: body.count)
        let tls = self.tls
        // An IP address is checked against the certificate's IP names and sent without SNI.
        let serverName: String? = (try? SocketAddress(ipAddress: url.host, port: 0)) == nil ? url.host : nil
        let connecting = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(ExportResponseHandler(request: request, body: body, promise: promise))
                }
            }
            .connect(host: url.host, port: url.port)
        connecting.whenFailure { promise.fail($0) }
        defer {
            connecting.whenSuccess { $0.close(promise: nil) }
        }
        try await promise.futureResult.get()
    }

    private func requestHead(contentLength: Int) -> HTTPRequestHead {
        var fields = HTTPHeaders([
            ("Host", url.hostHeader), ("Content-Type", "application/json"), ("Content-Length", "\(contentLength)"),
            ("Connection", "close"), ("User-Agent", "weft-otlp"),
        ])
        for header in headers { fields.add(name: header.name, value: header.value) }
        return HTTPRequestHead(version: .http1_1, method: .POST, uri: url.path, headers: fields)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
