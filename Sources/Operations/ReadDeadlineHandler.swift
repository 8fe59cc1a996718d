import Logging
import NIOCore
import NIOHTTP1

/// The request boundaries ``RequestBoundaryHandler`` reports to ``ReadDeadlineHandler`` (outbound
/// user events, which travel from the HTTP side of the pipeline towards the socket).
enum RequestBoundary: Sendable {
    /// A request was read whole.
    case requestRead
    /// A response was written whole.
    case responseWritten
}

/// Runs a connection's ``ReadDeadline``: sits where the request bytes arrive in plaintext (after TLS,
/// before the HTTP decoder), arms the timer the state machine asks for and closes the connection when
/// it fires.
final class ReadDeadlineHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private var deadline: ReadDeadline
    private var timer: Scheduled<Void>?
    private var started = false
    private let logger: Logger

    init(requestTimeout: TimeAmount, idleTimeout: TimeAmount, logger: Logger) {
        deadline = ReadDeadline(requestTimeout: requestTimeout, idleTimeout: idleTimeout)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        perform(deadline.bytesRead(), context: context)
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let boundary = event as? RequestBoundary else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch boundary {
        case .requestRead: perform(deadline.requestRead(), context: context)
        case .responseWritten: perform(deadline.responseWritten(), context: context)
        }
        promise?.succeed()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        perform(deadline.accepted(), context: context)
    }

    private func perform(_ action: ReadDeadline.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            return
        case .disarm:
            timer?.cancel()
            timer = nil
        case .arm(let after):
            timer?.cancel()
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: after) { [self] in
                timer = nil
                let expiry = deadline.timerFired()
                logger.debug("operations connection closed by its deadline", metadata: [
                    "reason": "\(expiry)", "remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")",
                ])
                context.close(promise: nil)
            }
        }
    }
}

/// Reports request boundaries to ``ReadDeadlineHandler``: sits after the HTTP decoder, sees each
/// request's end arrive and each response's end leave.
final class RequestBoundaryHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) {
            context.triggerUserOutboundEvent(RequestBoundary.requestRead, promise: nil)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if isEnd { context.triggerUserOutboundEvent(RequestBoundary.responseWritten, promise: nil) }
    }
}
