import NIOCore

/// Answers a client that speaks plain HTTP to the HTTPS operations port with a readable `400` (in
/// plaintext, which is all it understands) and closes its connection, rather than leaving it a TLS
/// alert it cannot read. Sits before the `NIOSSLServerHandler` and looks only at the first byte: a TLS
/// connection starts with a handshake record (0x16) and is passed through untouched from then on.
final class PlaintextOnTLSPortResponder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State {
        case undecided
        case tls
        case refused
    }

    /// The first byte of every TLS connection: a handshake record.
    static let tlsHandshakeRecord: UInt8 = 0x16

    static let response: String = {
        let body = "This port serves HTTPS (operations TLS is on); use https://.\n"
        return "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
    }()

    private var state = State.undecided

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .tls:
            context.fireChannelRead(data)
        case .refused:
            return
        case .undecided:
            let bytes = unwrapInboundIn(data)
            guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return }
            if first == Self.tlsHandshakeRecord {
                state = .tls
                context.fireChannelRead(data)
                return
            }
            state = .refused
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(NIOAny(ByteBuffer(string: Self.response))).whenComplete { _ in
                loopBound.value.close(promise: nil)
            }
        }
    }
}
