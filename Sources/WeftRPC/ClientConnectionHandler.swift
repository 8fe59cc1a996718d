import Logging
import NIOCore
import WeftCore
import Wire

/// The client end of one connection: runs the handshake, then routes frames from the server to the
/// `CallTable`. Confined to its channel's event loop; crypto runs on NIO's thread pool.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    private let credentials: RPCCredentials
    private let authorizeServer: Authorizer
    private let calls: CallTable
    private let handshakeResult: EventLoopPromise<Caller>
    private let handshakeTimeout: TimeAmount
    private let endpoint: String
    private let logger: Logger
    private var handshake = ClientHandshake()
    private var context: ChannelHandlerContext?
    private var loopBound: NIOLoopBound<ClientConnectionHandler>?
    private var timeout: Scheduled<Void>?
    private var closeReason: RPCError?

    init(credentials: RPCCredentials, authorizeServer: @escaping Authorizer, calls: CallTable,
         handshakeResult: EventLoopPromise<Caller>, handshakeTimeout: TimeAmount, endpoint: String, logger: Logger) {
        self.credentials = credentials
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
            loopBound.value.fail(RPCError(.unavailable, "\(endpoint) did not complete the handshake within \(seconds) s"))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch handshake.received(frame) {
        case .deliver(let frame):
            if let violation = calls.deliver(frame) { fail(violation) }
        case .prove(let hello):
            prove(hello, eventLoop: context.eventLoop)
        case .verifyServer(let proof, let transcript, let server):
            verify(proof, transcript: transcript, server: server, eventLoop: context.eventLoop)
        case .fail(let error):
            fail(error)
        case .ignore:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        let reason = closeReason ?? RPCError(.unavailable, "the connection to \(endpoint) closed")
        handshake.fail()
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
        default:
            fail(RPCError(.unavailable, "the connection to \(endpoint) failed: \(error)"))
        }
    }

    /// Fails the handshake (if still running) and every call, then closes the connection.
    private func fail(_ error: RPCError) {
        if closeReason == nil {
            closeReason = error
            logger.debug("closing the connection to \(endpoint): \(error)")
        }
        handshake.fail()
        handshakeResult.fail(error)
        calls.closeAll(because: error)
        context?.close(promise: nil)
    }

    private func prove(_ hello: ServerHello, eventLoop: EventLoop) {
        guard let loopBound else { return }
        let credentials = self.credentials
        let authorizeServer = self.authorizeServer
        HandshakeVerifier.run(on: eventLoop) {
            HandshakeVerifier.certificate(of: hello.identity).flatMap { certificate in
                HandshakeVerifier.admit(hello.identity, certificate: certificate, authorize: authorizeServer)
            }.flatMap { server -> Result<(ClientProof, server: Caller), RPCError> in
                Result { () throws(RPCError) -> (ClientProof, server: Caller) in
                    let challenge = try HandshakeVerifier.challenge()
                    let unsigned = HandshakeTranscript(
                        serverChallenge: hello.challenge, serverIdentity: hello.identity,
                        clientChallenge: challenge, clientIdentity: credentials.identity
                    )
                    let signature = try credentials.sign(unsigned.clientSignedBytes)
                    return (ClientProof(identity: credentials.identity, challenge: challenge, signature: signature), server)
                }
            }
        }.whenSuccess { result in
            loopBound.value.proofReady(result)
        }
    }

    private func proofReady(_ result: Result<(ClientProof, server: Caller), RPCError>) {
        switch handshake.proofReady(result) {
        case .success(let proof):
            let frame = Frame(type: .clientProof, requestID: 0, kind: .request, body: proof.canonicalBytes)
            context?.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        case .failure(let error):
            fail(RPCError(error.code, "refusing server \(endpoint): \(error.message)"))
        case nil:
            break
        }
    }

    private func verify(_ proof: ServerProof, transcript: HandshakeTranscript, server: Caller, eventLoop: EventLoop) {
        guard let loopBound else { return }
        HandshakeVerifier.run(on: eventLoop) {
            HandshakeVerifier.checkSignature(
                proof.signature, over: transcript.serverSignedBytes,
                identity: server.identity, certificate: server.certificate
            ).map { server }
        }.whenSuccess { result in
            loopBound.value.serverVerified(result)
        }
    }

    private func serverVerified(_ result: Result<Caller, RPCError>) {
        switch handshake.serverVerified(result) {
        case .success(let server):
            timeout?.cancel()
            timeout = nil
            handshakeResult.succeed(server)
        case .failure(let error):
            fail(RPCError(error.code, "refusing server \(endpoint): \(error.message)"))
        case nil:
            break
        }
    }
}

extension WireError {
    var isFrameTooLarge: Bool {
        if case .frameTooLarge = self { true } else { false }
    }
}
