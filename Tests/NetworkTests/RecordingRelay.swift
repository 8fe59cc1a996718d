import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP relay on loopback that forwards every connection to `target` and records every byte that
/// passes in either direction: the packet capture of a test, without a capture tool.
final class RecordingRelay: Sendable {
    let port: Int
    private let listener: Channel
    private let recorded: NIOLockedValueBox<[UInt8]>

    private init(port: Int, listener: Channel, recorded: NIOLockedValueBox<[UInt8]>) {
        self.port = port
        self.listener = listener
        self.recorded = recorded
    }

    /// Every byte relayed so far, both directions interleaved.
    var bytes: [UInt8] { recorded.withLockedValue { $0 } }

    static func start(to targetPort: Int) async throws -> RecordingRelay {
        let recorded = NIOLockedValueBox<[UInt8]>([])
        let group = MultiThreadedEventLoopGroup.singleton
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: "127.0.0.1", port: targetPort)
                    .flatMap { outbound in
                        let (left, right) = RelayHandler.pair(recorded: recorded)
                        // Both channels share one event loop, so the handlers call each other directly.
                        return inbound.pipeline.addHandler(left).flatMap {
                            outbound.pipeline.addHandler(right)
                        }.flatMap {
                            inbound.setOption(.autoRead, value: true)
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RecordingRelay(port: listener.localAddress?.port ?? 0, listener: listener, recorded: recorded)
    }

    func stop() async { try? await listener.close() }
}

/// One side of a relayed connection: what it reads it writes to its partner, and records. Both sides
/// run on the same event loop.
private final class RelayHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: RelayHandler?
    private var context: ChannelHandlerContext?
    private let recorded: NIOLockedValueBox<[UInt8]>

    private init(recorded: NIOLockedValueBox<[UInt8]>) { self.recorded = recorded }

    static func pair(recorded: NIOLockedValueBox<[UInt8]>) -> (RelayHandler, RelayHandler) {
        let left = RelayHandler(recorded: recorded)
        let right = RelayHandler(recorded: recorded)
        left.partner = right
        right.partner = left
        return (left, right)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        recorded.withLockedValue { $0 += buffer.readableBytesView }
        partner?.context?.writeAndFlush(NIOAny(buffer), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.context?.close(promise: nil)
        partner = nil
        context.fireChannelInactive()
    }
}
