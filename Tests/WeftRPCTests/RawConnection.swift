import NIOCore
import NIOPosix
import WeftCore
@testable import WeftRPC
import Wire

/// A hand-driven TCP connection for playing a hostile or half-broken client: it writes raw bytes or
/// hand-made frames and reads whatever frames the server sends, plus the moment it closes.
final class RawConnection: Sendable {
    let channel: Channel
    let frames: AsyncStream<Frame>
    private let closed: EventLoopFuture<Void>

    private init(channel: Channel, frames: AsyncStream<Frame>) {
        self.channel = channel
        self.frames = frames
        self.closed = channel.closeFuture
    }

    static func open(port: Int, maximumFrameLength: Int = 16 << 20) async throws -> RawConnection {
        let (frames, continuation) = AsyncStream.makeStream(of: Frame.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(FrameDecoder(maximumFrameLength: maximumFrameLength)),
                        FrameCollector(continuation: continuation)
                    )
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, frames: frames)
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

    /// Completes the handshake as `credentials` would, optionally corrupting the signature.
    func handshake(as credentials: RPCCredentials, corruptSignature: Bool = false) async throws -> Frame? {
        guard let helloFrame = await nextFrame() else { return nil }
        let hello = try ServerHello(canonicalBytes: helloFrame.body)
        let challenge = Array(repeating: UInt8(0x5A), count: handshakeChallengeLength)
        let transcript = HandshakeTranscript(
            serverChallenge: hello.challenge, serverIdentity: hello.identity,
            clientChallenge: challenge, clientIdentity: credentials.identity
        )
        var signature = try credentials.sign(transcript.clientSignedBytes)
        if corruptSignature { signature[signature.count - 1] ^= 0x01 }
        let proof = ClientProof(identity: credentials.identity, challenge: challenge, signature: signature)
        try await send(Frame(type: .clientProof, requestID: 0, kind: .request, body: proof.canonicalBytes))
        return await nextFrame()
    }
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
