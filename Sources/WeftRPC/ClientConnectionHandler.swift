import Logging
import NIOCore
import NIOSSL
import NIOTLS
import WeftCore
import Wire

/// The client end of one connection, above its TLS handler: checks the server's certificate during
/// the TLS handshake, then routes frames from the server to the `CallTable`. Confined to its
/// channel's event loop; certificate checks run on NIO's thread pool.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    private let expectation: PeerCertificateCheck.ServerExpectation
    private let authorizeServer: Authorizer
    private let calls: CallTable
    private let handshakeResult: EventLoopPromise<Caller>
    private let handshakeTimeout: TimeAmount
    private let endpoint: String
    private let logger: Logger
    private var server: Caller?
    private var isOpen = false
    private var context: ChannelHandlerContext?
    private var loopBound: NIOLoopBound<ClientConnectionHandler>?
    private var timeout: Scheduled<Void>?
    private var closeReason: RPCError?

    init(expectation: PeerCertificateCheck.ServerExpectation, authorizeServer: @escaping Authorizer, calls: CallTable,
         handshakeResult: EventLoopPromise<Caller>, handshakeTimeout: TimeAmount, endpoint: String, logger: Logger) {
        self.expectation = expectation
        self.authorizeServer = authorizeServer
        self.calls = calls
        self.handshakeResult = handshakeResult
        self.handshakeTimeout = handshakeTimeout
        self.endpoint = endpoint
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.loopBound = loopBound
        let seconds = Double(handshakeTimeout.nanoseconds) / 1e9
        let endpoint = self.endpoint
        timeout = context.eventLoop.scheduleTask(in: handshakeTimeout) {
            loopBound.value.fail(RPCError(.unavailable, "\(endpoint) did not complete the TLS handshake within \(seconds) s"))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard isOpen else { return }
        if let violation = calls.deliver(unwrapInboundIn(data)) { fail(violation) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls, let server {
            isOpen = true
            timeout?.cancel()
            timeout = nil
            handshakeResult.succeed(server)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        let reason = closeReason ?? RPCError(.unavailable, "the connection to \(endpoint) closed")
        handshakeResult.fail(reason)
        calls.closeAll(because: reason)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case let wireError as WireError:
            fail(RPCError(wireError.isFrameTooLarge ? .frameTooLarge : .protocolViolation, "\(endpoint) sent bad data: \(wireError)"))
        case is ByteToMessageDecoderError:
            context.close(promise: nil)
        case is NIOSSLError, is BoringSSLError:
            // With TLS 1.3 the server judges the client's certificate after the client's side of the
            // handshake is done, so its refusal (an alert) can arrive after "handshake completed".
            fail(RPCError(.unauthenticated, "TLS handshake with \(endpoint) failed: \(TLSFailure.describe(error))"))
        default:
            if isOpen {
                fail(RPCError(.unavailable, "the connection to \(endpoint) failed: \(error)"))
            } else {
                fail(RPCError(.unauthenticated, "TLS handshake with \(endpoint) failed: \(TLSFailure.describe(error))"))
            }
        }
    }

    /// The server's certificate, checked off the event loop; `promise` tells TLS whether to go on.
    func verifyServer(_ chain: [NIOSSLCertificate], promise: EventLoopPromise<NIOSSLVerificationResult>) {
        guard let loopBound, let context else {
            promise.succeed(.failed)
            return
        }
        PeerCertificateCheck.run(chain, expecting: expectation, authorize: authorizeServer, on: context.eventLoop)
            .whenSuccess { result in
                let handler = loopBound.value
                switch result {
                case .success(let server):
                    handler.server = server
                    promise.succeed(.certificateVerified)
                case .failure(let error):
                    handler.fail(error)
                    promise.succeed(.failed)
                }
            }
    }

    /// Fails the handshake (if still running) and every call, then closes the connection. The first
    /// reason is the one reported.
    private func fail(_ error: RPCError) {
        if closeReason == nil {
            closeReason = error
            logger.debug("closing the connection to \(endpoint): \(error)")
        }
        let reason = closeReason ?? error
        handshakeResult.fail(reason)
        calls.closeAll(because: reason)
        context?.close(promise: nil)
    }
}

extension WireError {
    var isFrameTooLarge: Bool {
        if case .frameTooLarge = self { true } else { false }
    }
}
