import Logging
import NIOCore
import WeftCore
import Wire

/// Serves one accepted connection: runs the handshake, dispatches calls to handler tasks, writes
/// their results, applies stream credit and backpressure, and refuses bad input.
///
/// Confined to its channel's event loop. Handlers run in Swift concurrency tasks and handshake
/// crypto on NIO's thread pool; results come back through `NIOLoopBound` and `EventLoop.execute`.
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
    }

    let environment: ConnectionEnvironment
    var logger: Logger
    var handshake = ServerHandshake()
    var calls: [UInt64: Call] = [:]
    var context: ChannelHandlerContext?
    var loopBound: NIOLoopBound<ServerConnectionHandler>?
    var handshakeTimeout: Scheduled<Void>?
    /// Whether the client's proof is being verified on the handshake thread pool.
    var isVerifying = false
    var readPending = false
    var isDraining = false
    var isClosing = false

    init(environment: ConnectionEnvironment, remote: String) {
        self.environment = environment
        var logger = environment.logger
        logger[metadataKey: "remote"] = "\(remote)"
        self.logger = logger
    }

    var maximumFrameLength: Int { environment.configuration.maximumFrameLength }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    /// Sends the server hello and arms the handshake timeout (once).
    private func start(context: ChannelHandlerContext) {
        guard case .idle = handshake.state, let loopBound else { return }
        let challenge: [UInt8]
        do {
            challenge = try HandshakeVerifier.challenge()
        } catch {
            logger.error("closing connection: \(error)")
            context.close(promise: nil)
            return
        }
        let hello = ServerHello(challenge: challenge, identity: environment.credentials.identity)
        handshake.helloSent(hello)
        context.writeAndFlush(wrapOutboundOut(Frame(type: .serverHello, requestID: 0, kind: .request, body: hello.canonicalBytes)), promise: nil)
        let timeout = environment.configuration.handshakeTimeout
        handshakeTimeout = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.handshakeTimedOut(after: timeout)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        let frame = unwrapInboundIn(data)
        switch handshake.received(frame) {
        case .verify(let hello, let proof):
            startVerification(hello: hello, proof: proof, eventLoop: context.eventLoop)
        case .serve(let frame, let caller):
            serve(frame, caller: caller)
        case .refuseAndClose(let error, let requestID):
            logger.notice("closing connection: \(error.message)")
            refuseAndClose(error, requestID: requestID, typeCode: frame.typeCode)
        case .ignore:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosing = true
        handshake.close()
        handshakeTimeout?.cancel()
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
            logger.debug("closing connection after I/O error: \(error)")
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerDrainEvent {
            beginDraining()
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

    // MARK: Handshake

    private func startVerification(hello: ServerHello, proof: ClientProof, eventLoop: EventLoop) {
        guard let loopBound else { return }
        let environment = self.environment
        isVerifying = true
        HandshakeVerifier.run(on: eventLoop) {
            let transcript = HandshakeTranscript(hello: hello, proof: proof)
            return HandshakeVerifier.verifyClient(proof, transcript: transcript, authorize: environment.authorize)
                .flatMap { caller in
                    Result { () throws(RPCError) in (caller, try environment.credentials.sign(transcript.serverSignedBytes)) }
                }
        }.whenSuccess { outcome in
            loopBound.value.verificationFinished(outcome)
        }
    }

    private func verificationFinished(_ result: Result<(Caller, [UInt8]), RPCError>) {
        isVerifying = false
        guard let context, !isClosing else { return }
        switch handshake.verified(result) {
        case .sendProof(let proof, let caller):
            handshakeTimeout?.cancel()
            handshakeTimeout = nil
            logger[metadataKey: "caller"] = "\(caller)"
            logger.debug("handshake completed")
            context.writeAndFlush(wrapOutboundOut(Frame(type: .serverProof, requestID: 0, kind: .response, body: proof.canonicalBytes)), promise: nil)
            if isDraining { closeIfDrained() }
        case .refuseAndClose(let error):
            logger.notice("refusing connection: \(error.message)")
            refuseAndClose(error, requestID: 0, typeCode: MessageType.clientProof.rawValue)
        case .ignore:
            break
        }
    }

    private func handshakeTimedOut(after timeout: TimeAmount) {
        handshakeTimeout = nil
        guard handshake.caller == nil, !isClosing else { return }
        handshake.close()
        let seconds = Double(timeout.nanoseconds) / 1e9
        logger.notice("closing connection: no handshake within \(seconds) s")
        refuseAndClose(RPCError(.unauthenticated, "no handshake within \(seconds) s"), requestID: 0, typeCode: 0)
    }

    // MARK: Writing

    func write(_ frame: Frame) {
        guard let context, !isClosing else { return }
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    func sendError(_ error: RPCError, requestID: UInt64, typeCode: UInt16) {
        write(Frame(typeCode: typeCode, requestID: requestID, kind: .error, body: error.body.canonicalBytes))
    }

    /// Sends an error frame, then closes the connection once it is written.
    func refuseAndClose(_ error: RPCError, requestID: UInt64, typeCode: UInt16) {
        guard let context, !isClosing else { return }
        isClosing = true
        handshake.close()
        let frame = Frame(typeCode: typeCode, requestID: requestID, kind: .error, body: error.body.canonicalBytes)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }
}
