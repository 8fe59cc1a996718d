import NIOCore
import NIOHTTP1

/// Sends one export request when its connection becomes active and completes `promise` with the
/// answer: success for a 2xx status, ``OTLPHTTPTransport/Failure`` otherwise. Lives on its channel's
/// event loop only.
final class ExportResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// The most bytes of an error answer's body kept for the message.
    static let bodyLimit = 512

    private let request: HTTPRequestHead
    private let body: [UInt8]
    private let promise: EventLoopPromise<Void>
    private var status: HTTPResponseStatus?
    private var answer: [UInt8] = []
    private var isDone = false

    init(request: HTTPRequestHead, body: [UInt8], promise: EventLoopPromise<Void>) {
        self.request = request
        self.body = body
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
        case .body(var buffer):
            let room = Self.bodyLimit - answer.count
            if room > 0 { answer += buffer.readBytes(length: min(room, buffer.readableBytes)) ?? [] }
        case .end:
            guard let status else { return finish(context, .failure(OTLPHTTPTransport.Failure.closedEarly)) }
            if (200..<300).contains(status.code) {
                finish(context, .success(()))
            } else {
                finish(context, .failure(OTLPHTTPTransport.Failure.refused(status: status.code, body: String(decoding: answer, as: UTF8.self))))
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context, .failure(OTLPHTTPTransport.Failure.closedEarly))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context, .failure(error))
    }

    private func finish(_ context: ChannelHandlerContext, _ result: Result<Void, any Error>) {
        guard !isDone else { return }
        isDone = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}
