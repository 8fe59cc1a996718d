import NIOCore
import NIOPosix
import NIOSSL
import WeftCore
@testable import WeftRPC
import Wire

/// A hand-driven connection for playing a hostile or half-broken client: plaintext TCP, or TLS with a
/// given client certificate (or none), that writes raw bytes or hand-made frames and reads whatever
/// frames the server sends, plus the moment it closes. It trusts any server certificate.
final class RawConnection: Sendable {
    let channel: Channel
    let frames: AsyncStream<Frame>
    private let closed: EventLoopFuture<Void>

    private init(channel: Channel, frames: AsyncStream<Frame>) {
        self.channel = channel
        self.frames = frames
        self.closed = channel.closeFuture
    }

    /// How the raw client speaks to the server.
    enum Mode {
        /// Plain TCP: no TLS at all.
        case plaintext
        /// TLS 1.3 (or `version`) presenting `credentials`, or no certificate when nil.
        case tls(RPCCredentials?, version: TLSVersion = .tlsv13)
    }

    static func open(port: Int, mode: Mode, maximumFrameLength: Int = 16 << 20) async throws -> RawConnection {
        let (frames, continuation) = AsyncStream.makeStream(of: Frame.self)
        let sslContext: NIOSSLContext?
        if case .tls(let credentials, let version) = mode {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            configuration.minimumTLSVersion = version
            configuration.maximumTLSVersion = version
            if let credentials {
                configuration.certificateChain = credentials.sslCertificateChain.map { .certificate($0) }
                configuration.privateKey = .privateKey(credentials.sslPrivateKey)
            }
            sslContext = try NIOSSLContext(configuration: configuration)
        } else {
            sslContext = nil
        }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: maximumFrameLength)),
                        FrameCollector(continuation: continuation)
                    )
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, frames: frames)
    }

    /// A TLS connection authenticated as `credentials`, ready for frames (the handshake has completed
    /// once a ping was answered).
    static func authenticated(port: Int, as credentials: RPCCredentials, maximumFrameLength: Int = 16 << 20) async throws -> RawConnection {
        let raw = try await open(port: port, mode: .tls(credentials), maximumFrameLength: maximumFrameLength)
        try await raw.send(Frame(type: .ping, requestID: 999_999, kind: .request, body: [1]))
        guard await raw.nextFrame()?.kind == .response else { throw RPCError(.unauthenticated, "the raw TLS client was refused") }
        return raw
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    func send(_ frame: Frame) async throws {
        var buffer = channel.allocator.buffer(capacity: frame.encodedSize)
        try FrameEncoder.write(frame, to: &buffer, maximumFrameLength: Int(UInt32.max))
        try await channel.writeAndFlush(buffer)
    }

    /// The frames received until the server closes the connection (or `limit` passes).
    func framesUntilClosed(limit: Duration = .seconds(30)) async -> (frames: [Frame], closed: Bool) {
        let frames = self.frames
        let collected = Task {
            var all: [Frame] = []
            for await frame in frames { all.append(frame) }
            return all
        }
        let closed = await isClosed(within: limit)
        if !closed { try? await channel.close() }
        return (await collected.value, closed)
    }

    /// The next frame, or nil when the connection closed first.
    func nextFrame() async -> Frame? {
        var iterator = frames.makeAsyncIterator()
        return await iterator.next()
    }

    /// Whether the server closed the connection within `limit`.
    func isClosed(within limit: Duration) async -> Bool {
        let closed = self.closed
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = try? await closed.get(); return true }
            group.addTask { try? await Task.sleep(for: limit); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    func close() async { try? await channel.close() }
}

/// Passes decoded frames to an `AsyncStream` and finishes it when the connection closes.
final class FrameCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = Frame
    let continuation: AsyncStream<Frame>.Continuation

    init(continuation: AsyncStream<Frame>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
