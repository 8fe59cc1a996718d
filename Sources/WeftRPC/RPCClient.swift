import Logging
import NIOCore
import NIOPosix
import NIOSSL
import WeftCrypto
import WeftCore
import WeftTracing
import Wire

/// A mutual-TLS connection to one Weft server that multiplexes any number of
/// concurrent calls by request id. `Sendable`: share one client between many tasks.
///
/// Reconnecting is the caller's job: once the connection closes, every call fails with
/// `RPCError.unavailable`; make a new client with `connect`.
public final class RPCClient: Sendable {
    /// The server, as authenticated by its TLS certificate during the handshake.
    public let server: Caller
    /// `host:port` as given to `connect`.
    public let endpoint: String
    let channel: Channel
    private let outbound: CoalescingOutbound
    private let calls: CallTable
    private let configuration: RPCClientConfiguration

    private init(server: Caller, endpoint: String, channel: Channel, calls: CallTable, configuration: RPCClientConfiguration) {
        self.server = server
        self.endpoint = endpoint
        self.channel = channel
        outbound = CoalescingOutbound(channel: channel)
        self.calls = calls
        self.configuration = configuration
    }

    /// Dropping the last reference closes the connection; prefer `close()`, which waits for it.
    deinit {
        channel.close(promise: nil)
    }

    /// Connects to `host:port` and performs the mutual TLS handshake.
    ///
    /// - Parameters:
    ///   - security: the TLS certificate and key the client proves itself with.
    ///   - serverName: the node the client means to reach (e.g. `peer0.org1`); when given, the
    ///     server's certificate must carry it as its common name or a DNS name. The certificate must
    ///     always name `host` in a subject alternative name.
    ///   - authorizeServer: decides whether the server's TLS certificate is acceptable, as which
    ///     organization and role (for example: an orderer of an orderer organization).
    /// - Throws: `RPCError.unavailable` naming `host:port` when the connection is refused or times
    ///   out; `.unauthenticated` when either side refuses the other's certificate.
    public static func connect(
        host: String,
        port: Int,
        security: RPCTransportSecurity,
        serverName: String? = nil,
        authorizeServer: @escaping Authorizer,
        configuration: RPCClientConfiguration = RPCClientConfiguration(),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "weft.rpc.client")
    ) async throws(RPCError) -> RPCClient {
        let endpoint = "\(host):\(port)"
        let calls = CallTable()
        let eventLoop = group.next()
        let handshakeResult = eventLoop.makePromise(of: Caller.self)
        let maximum = configuration.maximumFrameLength
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .detectingDeadLinks()
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = ClientConnectionHandler(
                        expectation: .init(host: host, nodeName: serverName), authorizeServer: authorizeServer, calls: calls,
                        handshakeResult: handshakeResult, handshakeTimeout: configuration.handshakeTimeout,
                        endpoint: endpoint, logger: logger
                    )
                    let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
                    // SNI carries DNS names only; an address is checked against the certificate's IP names.
                    let sniName: String? = if case .dnsName = SubjectAlternativeName(host: host) { host } else { nil }
                    let tls = try NIOSSLClientHandler(context: security.clientContext, serverHostname: sniName) { chain, promise in
                        bound.value.verifyServer(chain, promise: promise)
                    }
                    try channel.pipeline.syncOperations.addHandlers(
                        tls,
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: maximum)),
                        MessageToByteHandler(FrameEncoder(maximumFrameLength: maximum)),
                        handler
                    )
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            handshakeResult.fail(RPCError(.unavailable, "not connected"))
            throw RPCError(.unavailable, "could not connect to \(endpoint): \(ConnectFailure.describe(error))")
        }
        do {
            let server = try await handshakeResult.futureResult.get()
            let client = RPCClient(server: server, endpoint: endpoint, channel: channel, calls: calls, configuration: configuration)
            // TLS 1.3 completes the client's side of the handshake before the server has judged the
            // client's certificate; one round trip makes a refusal surface here, not on a later call.
            _ = try await client.call(.ping, [], timeout: configuration.handshakeTimeout)
            return client
        } catch {
            try? await channel.close()
            throw error as? RPCError ?? RPCError(.unavailable, "the handshake with \(endpoint) failed: \(error)")
        }
    }

    /// Makes a unary call: sends `body` as a `type` request and returns the response body.
    ///
    /// - Parameter timeout: how long to wait for the response (`configuration.defaultCallTimeout`
    ///   when nil); on expiry the server is told to cancel the call.
    /// - Throws: the server's `RPCError`, `.deadlineExceeded`, `.cancelled` when the calling task is
    ///   cancelled, or `.unavailable` when the connection is closed.
    ///
    /// Inside a trace (tracing on, a span current) the call is a client span and the request carries
    /// its trace context (`RPCTracing`); otherwise the frame is exactly that of an untraced build.
    public func call(_ type: MessageType, _ body: [UInt8], timeout: TimeAmount? = nil) async throws(RPCError) -> [UInt8] {
        if WeftTracing.isTracing { return try await tracedCall(type, body, timeout: timeout) }
        return try await unaryCall(type, body, timeout: timeout, traceContext: nil)
    }

    /// Sends one request frame (with `traceContext` when given) and waits for its answer.
    func unaryCall(_ type: MessageType, _ body: [UInt8], timeout: TimeAmount?, traceContext: TraceContext?) async throws(RPCError) -> [UInt8] {
        let frame = Frame(type: type, requestID: calls.nextRequestID(), kind: .request, body: body, traceContext: traceContext)
        if let error = checkSize(frame) { throw error }
        let requestID = frame.requestID
        let timeout = timeout ?? configuration.defaultCallTimeout
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], Error>) in
                    if let closed = calls.register(requestID, .unary(continuation, timeout: nil)) {
                        continuation.resume(throwing: closed)
                        return
                    }
                    if Task.isCancelled {
                        abandon(requestID, type: type, because: RPCError(.cancelled, "the call was cancelled"))
                        return
                    }
                    let eventLoop = channel.eventLoop
                    send(frame, failing: requestID) { [self] in
                        let scheduled = eventLoop.scheduleTask(in: timeout) { [self] in
                            let seconds = Double(timeout.nanoseconds) / 1e9
                            abandon(requestID, type: type, because: RPCError(.deadlineExceeded, "\(type) to \(endpoint) timed out after \(seconds) s"))
                        }
                        calls.attach(timeout: scheduled, to: requestID)
                    }
                }
            } onCancel: {
                abandon(requestID, type: type, because: RPCError(.cancelled, "the call was cancelled"))
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.internal, "\(error)")
        }
    }

    /// Makes a unary call with canonical request and response types.
    public func call<Response: CanonicalDecodable>(
        _ type: MessageType, _ request: some CanonicalEncodable, as responseType: Response.Type, timeout: TimeAmount? = nil
    ) async throws(RPCError) -> Response {
        let bytes = try await call(type, request.canonicalBytes, timeout: timeout)
        do {
            return try Response(canonicalBytes: bytes)
        } catch {
            throw RPCError(.protocolViolation, "the \(type) response from \(endpoint) is not a valid \(Response.self): \(error)")
        }
    }

    /// Starts a server stream: sends `body` as a `type` request and returns the items as they come.
    /// Errors (including a closed connection) are thrown by the sequence.
    public func stream(_ type: MessageType, _ body: [UInt8]) -> RPCResponseStream {
        let frame = Frame(type: type, requestID: calls.nextRequestID(), kind: .streamRequest, body: body)
        let requestID = frame.requestID
        let outbound = self.outbound
        let calls = self.calls
        let receiver = StreamReceiver(
            window: configuration.streamWindow,
            maximumItem: configuration.maximumFrameLength,
            grant: { bytes in
                let credit = StreamCredit(bytes: UInt32(clamping: bytes))
                outbound.write(Frame(type: type, requestID: requestID, kind: .credit, body: credit.canonicalBytes))
            },
            cancelOnServer: {
                if calls.remove(requestID) != nil {
                    outbound.write(Frame(type: type, requestID: requestID, kind: .cancel))
                }
            }
        )
        let handle = StreamHandle(receiver: receiver)
        if let error = checkSize(frame) ?? calls.register(requestID, .stream(receiver)) {
            receiver.finish(with: .failure(error))
            return RPCResponseStream(handle: handle)
        }
        let credit = StreamCredit(bytes: UInt32(clamping: configuration.streamWindow))
        outbound.write(frame)
        send(Frame(type: type, requestID: requestID, kind: .credit, body: credit.canonicalBytes), failing: requestID)
        return RPCResponseStream(handle: handle)
    }

    /// Whether the connection is still open.
    public var isOpen: Bool { channel.isActive }

    /// How many calls and streams are in flight.
    public var callsInFlight: Int { calls.count }

    /// Closes the connection; calls in flight fail with `.unavailable`.
    public func close() async {
        calls.closeAll(because: RPCError(.unavailable, "the client closed its connection to \(endpoint)"))
        try? await channel.close()
    }

    // MARK: Helpers

    private func checkSize(_ frame: Frame) -> RPCError? {
        guard frame.lengthFieldValue > configuration.maximumFrameLength else { return nil }
        return RPCError(.frameTooLarge, "a \(frame.body.count)-byte request exceeds the maximum frame of \(configuration.maximumFrameLength) bytes")
    }

    /// Writes `frame`, running `first` on the event loop before it; a failed write fails the call.
    private func send(_ frame: Frame, failing requestID: UInt64, first: (@Sendable () -> Void)? = nil) {
        let calls = self.calls
        let endpoint = self.endpoint
        let written = channel.eventLoop.makePromise(of: Void.self)
        outbound.write(frame, promise: written, first: first)
        written.futureResult.whenFailure { error in
            calls.completeUnary(requestID, with: .failure(RPCError(.unavailable, "could not send to \(endpoint): \(error)")))
        }
    }

    /// Gives up on a call: fails it locally and tells the server to stop working on it.
    private func abandon(_ requestID: UInt64, type: MessageType, because error: RPCError) {
        if calls.completeUnary(requestID, with: .failure(error)) {
            outbound.write(Frame(type: type, requestID: requestID, kind: .cancel))
        }
    }
}

/// Turns NIO's connection errors into one short reason ("connection refused", "timed out").
enum ConnectFailure {
    static func describe(_ error: Error) -> String {
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return describe(first.error)
        }
        if let io = error as? IOError {
            return io.errnoCode == ECONNREFUSED ? "connection refused (is the node running?)" : "\(io)"
        }
        if case ChannelError.connectTimeout(let amount) = error {
            return "timed out after \(Double(amount.nanoseconds) / 1e9) s"
        }
        return "\(error)"
    }
}
