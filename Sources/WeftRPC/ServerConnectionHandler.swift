import CoreMetrics
import Logging
import NIOCore
import NIOSSL
import NIOTLS
import WeftCore
import Wire

/// Serves one accepted connection above its TLS handler: checks the client's certificate during the
/// TLS handshake, dispatches calls to handler tasks, writes their results, applies stream credit and
/// backpressure, and refuses bad input.
///
/// Confined to its channel's event loop. Handlers run in Swift concurrency tasks and certificate
/// checks on NIO's thread pool; results come back through `NIOLoopBound` and `EventLoop.execute`.
/// Every handler task it starts is cancelled when the connection closes.
final class ServerConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = Frame
    typealias OutboundIn = Frame
    typealias OutboundOut = Frame

    /// One call in flight.
    struct Call {
        let typeCode: UInt16
        let isStream: Bool
        var task: Task<Void, Never>?
        /// Bytes of stream items the caller still accepts; items are sent while it is positive.
        var credit = 0
        /// Stream items waiting for credit or writability, with the promises their senders await.
        var pending: [(Frame, EventLoopPromise<Void>)] = []
        /// The caller cancelled: nothing more is sent, but the call keeps its concurrency slot until
        /// its handler task has actually returned.
        var isCancelled = false
    }

    let environment: ConnectionEnvironment
    var logger: Logger
    let remote: String
    /// The client, once its TLS certificate was verified and authorized.
    var caller: Caller?
    /// Whether the TLS handshake has completed (the caller is then set).
    var isOpen = false
    /// Whether the client's certificate is being checked on the blocking pool.
    var isVerifying = false
    /// Whether a refusal has been logged already (so the TLS error that follows is not logged twice).
    var refusalLogged = false
    var calls: [UInt64: Call] = [:]
    var context: ChannelHandlerContext?
    var loopBound: NIOLoopBound<ServerConnectionHandler>?
    var handshakeTimeout: Scheduled<Void>?
    var readPending = false
    var isDraining = false
    var isClosing = false
    /// Writes responses, flushing those finished together at once (one TLS flush, one system call).
    var outbound: CoalescingOutbound?
    /// The open-connections gauge of the caller's organization and role, once authenticated.
    var connectionMeter: Meter?

    init(environment: ConnectionEnvironment, remote: String) {
        self.environment = environment
        self.remote = remote
        var logger = environment.logger
        logger[metadataKey: "remote"] = "\(remote)"
        self.logger = logger
    }

    var maximumFrameLength: Int { environment.configuration.maximumFrameLength }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        outbound = CoalescingOutbound(channel: context.channel)
        if context.channel.isActive { armHandshakeTimeout(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armHandshakeTimeout(context: context)
        context.fireChannelActive()
    }

    /// A connection must complete its TLS handshake within the configured time (once armed).
    private func armHandshakeTimeout(context: ChannelHandlerContext) {
        guard handshakeTimeout == nil, !isOpen, let loopBound else { return }
        let timeout = environment.configuration.handshakeTimeout
        handshakeTimeout = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.handshakeTimedOut(after: timeout)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        let frame = unwrapInboundIn(data)
        guard isOpen, let caller else {
            // TLS delivers no application data before its handshake completed; defensive only.
            logger.notice("closing connection: \(frame) arrived before the TLS handshake completed")
            refuseAndClose(RPCError(.unauthenticated, "the TLS handshake has not completed"), requestID: frame.requestID, typeCode: frame.typeCode)
            return
        }
        serve(frame, caller: caller)
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosing = true
        handshakeTimeout?.cancel()
        connectionMeter?.decrement()
        connectionMeter = nil
        let closed = RPCError(.cancelled, "the connection closed")
        for (_, call) in calls {
            call.task?.cancel()
            for (_, promise) in call.pending { promise.fail(closed) }
        }
        calls.removeAll()
        logger.debug("connection closed")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case let wireError as WireError:
            if case .truncatedFrame = wireError {
                logger.notice("connection closed by the remote side: \(wireError)")
                context.close(promise: nil)
                return
            }
            guard !isClosing else { return }
            logger.notice("closing connection: \(wireError)")
            let code: RPCError.Code = if case .frameTooLarge = wireError { .frameTooLarge } else { .protocolViolation }
            refuseAndClose(RPCError(code, "\(wireError)"), requestID: 0, typeCode: 0)
        case is ByteToMessageDecoderError:
            // Bytes that arrived after a decoding error; the connection is already closing.
            context.close(promise: nil)
        default:
            if !isOpen {
                if !refusalLogged {
                    environment.metrics.handshakeFailed(.tlsError)
                    logger.notice("refusing connection: TLS handshake failed: \(TLSFailure.describe(error))")
                }
            } else if !isClosing {
                logger.debug("closing connection after I/O error: \(error)")
            }
            isClosing = true
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerDrainEvent {
            beginDraining()
        } else if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            tlsHandshakeCompleted()
            context.fireUserInboundEventTriggered(event)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            for requestID in Array(calls.keys) { flushPendingStreamItems(requestID: requestID) }
            resumeReadingIfPossible()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Read backpressure

    func read(context: ChannelHandlerContext) {
        if shouldPauseReading {
            readPending = true
        } else {
            context.read()
        }
    }

    private var shouldPauseReading: Bool {
        guard let context else { return false }
        return !context.channel.isWritable || calls.count >= environment.configuration.maximumConcurrentCallsPerConnection
    }

    func resumeReadingIfPossible() {
        guard readPending, !shouldPauseReading, let context else { return }
        readPending = false
        context.read()
    }

    // MARK: TLS handshake

    /// The client's certificate: checked and authorized off the event loop; `promise` tells TLS
    /// whether to go on with the handshake.
    func verifyClient(_ chain: [NIOSSLCertificate], promise: EventLoopPromise<NIOSSLVerificationResult>) {
        guard let loopBound, let context else {
            promise.succeed(.failed)
            return
        }
        isVerifying = true
        PeerCertificateCheck.run(chain, expecting: nil, authorize: environment.authorize, on: context.eventLoop)
            .whenSuccess { result in
                let handler = loopBound.value
                handler.isVerifying = false
                switch result {
                case .success(let caller):
                    handler.caller = caller
                    handler.logger[metadataKey: "caller"] = "\(caller)"
                    promise.succeed(.certificateVerified)
                case .failure(let error):
                    handler.refusalLogged = true
                    handler.environment.metrics.handshakeFailed(.certificateRefused)
                    handler.logger.notice("refusing connection: \(error.message)")
                    promise.succeed(.failed)
                }
            }
    }

    private func tlsHandshakeCompleted() {
        guard let caller, let context else { return }
        isOpen = true
        connectionMeter = environment.metrics.connections(org: caller.mspID, role: caller.role.rawValue)
        connectionMeter?.increment()
        environment.handshakeCompleted(context.channel)
        handshakeTimeout?.cancel()
        handshakeTimeout = nil
        logger.debug("TLS handshake completed")
        if isDraining { closeIfDrained() }
    }

    private func handshakeTimedOut(after timeout: TimeAmount) {
        handshakeTimeout = nil
        guard !isOpen, !isClosing, let context else { return }
        isClosing = true
        environment.metrics.handshakeFailed(.timeout)
        let seconds = Double(timeout.nanoseconds) / 1e9
        logger.notice("closing connection: no TLS handshake within \(seconds) s")
        context.close(promise: nil)
    }

    // MARK: Writing

    /// Writes `frame` and flushes it after the other tasks the event loop has queued meanwhile, so
    /// responses finished together leave together.
    func write(_ frame: Frame) {
        guard !isClosing else { return }
        outbound?.write(frame)
    }

    func sendError(_ error: RPCError, requestID: UInt64, typeCode: UInt16) {
        write(Frame(typeCode: typeCode, requestID: requestID, kind: .error, body: error.body.canonicalBytes))
    }

    /// Sends an error frame, then closes the connection once it is written.
    func refuseAndClose(_ error: RPCError, requestID: UInt64, typeCode: UInt16) {
        guard let context, !isClosing else { return }
        isClosing = true
        let frame = Frame(typeCode: typeCode, requestID: requestID, kind: .error, body: error.body.canonicalBytes)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }
}
