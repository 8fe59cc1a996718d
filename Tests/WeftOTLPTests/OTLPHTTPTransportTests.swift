import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
@testable import WeftOTLP

/// The HTTP transport against a real listener on loopback: what a collector receives, and how a
/// refusal, a silent collector and a closed port fail.
@Suite(.timeLimit(.minutes(1))) struct OTLPHTTPTransportTests {
    /// One request as the listener saw it.
    struct Received: Sendable {
        var head: HTTPRequestHead
        var body: [UInt8]
    }

    /// Answers every request with `status` (or never, when nil) and keeps it.
    final class Listener: Sendable {
        let channel: any Channel
        let received: NIOLockedValueBox<[Received]>

        init(status: HTTPResponseStatus?) async throws {
            let received = NIOLockedValueBox<[Received]>([])
            self.received = received
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(Handler(status: status, received: received))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
        }

        var url: CollectorURL { CollectorURL("http://127.0.0.1:\(channel.localAddress?.port ?? 0)/v1/traces")! }

        final class Handler: ChannelInboundHandler, @unchecked Sendable {
            // @unchecked Sendable: used only on its channel's event loop.
            typealias InboundIn = HTTPServerRequestPart
            typealias OutboundOut = HTTPServerResponsePart
            let status: HTTPResponseStatus?
            let received: NIOLockedValueBox<[Received]>
            var request: Received?

            init(status: HTTPResponseStatus?, received: NIOLockedValueBox<[Received]>) {
                self.status = status
                self.received = received
            }

            func channelRead(context: ChannelHandlerContext, data: NIOAny) {
                switch unwrapInboundIn(data) {
                case .head(let head): request = Received(head: head, body: [])
                case .body(var buffer): request?.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    if let request { received.withLockedValue { $0.append(request) } }
                    guard let status else { return }
                    let body = status == .ok ? "{}" : "quota exceeded"
                    let head = HTTPResponseHead(version: .http1_1, status: status, headers: ["Content-Length": "\(body.utf8.count)"])
                    context.write(wrapOutboundOut(.head(head)), promise: nil)
                    context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
            }
        }
    }

    @Test func aCollectorReceivesOneJSONPost() async throws {
        let listener = try await Listener(status: .ok)
        let transport = OTLPHTTPTransport(url: listener.url, headers: [("api-key", "k1")], tls: nil, timeout: .seconds(5))
        try await transport.send(Array(#"{"resourceSpans":[]}"#.utf8))
        try await transport.send(Array("{}".utf8))
        let requests = listener.received.withLockedValue { $0 }
        #expect(requests.count == 2)
        let first = try #require(requests.first)
        #expect(first.head.method == .POST && first.head.uri == "/v1/traces")
        #expect(first.head.headers["Content-Type"] == ["application/json"])
        #expect(first.head.headers["api-key"] == ["k1"])
        #expect(first.head.headers["Host"] == ["127.0.0.1:\(listener.url.port)"])
        #expect(String(decoding: first.body, as: UTF8.self) == #"{"resourceSpans":[]}"#)
        try await listener.channel.close()
    }

    @Test func aRefusalIsAFailureWithItsStatus() async throws {
        let listener = try await Listener(status: .tooManyRequests)
        let transport = OTLPHTTPTransport(url: listener.url, tls: nil, timeout: .seconds(5))
        await #expect {
            try await transport.send(Array("{}".utf8))
        } throws: { error in
            guard case .refused(let status, let body) = error as? OTLPHTTPTransport.Failure else { return false }
            return status == 429 && body == "quota exceeded"
        }
        try await listener.channel.close()
    }

    @Test func aSilentCollectorTimesOut() async throws {
        let listener = try await Listener(status: nil)
        let transport = OTLPHTTPTransport(url: listener.url, tls: nil, timeout: .milliseconds(200))
        await #expect {
            try await transport.send(Array("{}".utf8))
        } throws: { error in
            if case .timedOut = error as? OTLPHTTPTransport.Failure { true } else { false }
        }
        try await listener.channel.close()
    }

    @Test func aClosedPortFails() async throws {
        let listener = try await Listener(status: .ok)
        let url = listener.url
        try await listener.channel.close()
        let transport = OTLPHTTPTransport(url: url, tls: nil, timeout: .seconds(5))
        await #expect(throws: (any Error).self) {
            try await transport.send(Array("{}".utf8))
        }
    }
}
