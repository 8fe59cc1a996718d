import NIOCore
import NIOHTTP1

/// Answers a request that does not parse with `400 Bad Request`, then closes the connection gently:
/// it closes the output first and reads and discards what the client still sends (up to a limit), so the
/// client reads the answer instead of a connection reset. Sits after NIO's HTTP decoder and pipeline
/// handler, in place of `HTTPServerProtocolErrorHandler`, which closes at once.
final class BadRequestResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Bytes discarded after a parse error before the connection is closed outright.
    static let maxDiscardedBytes = 1 << 20

    private var responseInProgress = false
    private var failed = false
    private var discardedBytes = 0

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if error is HTTPParserError, !failed {
            failed = true
            if !responseInProgress {
                var headers = HTTPHeaders()
                headers.add(name: "Connection", value: "close")
                headers.add(name: "Content-Length", value: "0")
                let head = HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
            context.close(mode: .output, promise: nil)
            return
        }
        if failed, case ByteToMessageDecoderError.dataReceivedInErrorState(_, let rest) = error {
            discardedBytes += rest.readableBytes
            if discardedBytes > Self.maxDiscardedBytes { context.close(promise: nil) }
            return
        }
        context.fireErrorCaught(error)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            responseInProgress = true
        case .end:
            responseInProgress = false
        case .head, .body:
            break
        }
        context.write(data, promise: promise)
    }
}
