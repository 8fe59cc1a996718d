import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny OTLP/HTTP trace receiver for tests: accepts `POST /v1/traces` with a protobuf
/// `ExportTraceServiceRequest` (what swift-otel's exporter sends by default), answers 200 with an
/// empty `ExportTraceServiceResponse`, and keeps every span it decoded.
final class OTLPReceiver: Sendable {
    /// One received span: enough of OTLP's `Span` and its resource to check a trace's tree.
    struct Span: Sendable, CustomStringConvertible {
        var service: String
        var traceID: String
        var spanID: String
        var parentID: String
        var name: String
        var kind: Int
        var attributes: [String: String]

        var description: String { "\(service) \(name) \(spanID) ← \(parentID.isEmpty ? "root" : parentID)" }
    }

    let port: Int
    private let channel: Channel
    private let received: NIOLockedValueBox<[Span]>

    private init(port: Int, channel: Channel, received: NIOLockedValueBox<[Span]>) {
        self.port = port
        self.channel = channel
        self.received = received
    }

    /// Listens on 127.0.0.1 at a free port.
    static func start() async throws -> OTLPReceiver {
        let received = NIOLockedValueBox<[Span]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(received: received))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return OTLPReceiver(port: channel.localAddress?.port ?? 0, channel: channel, received: received)
    }

    /// The base URL to give `WEFT_OTLP_ENDPOINT`.
    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Every span received so far.
    var spans: [Span] { received.withLockedValue { $0 } }

    func stop() async {
        try? await channel.close()
    }

    /// Collects one request's body, decodes it when it is complete, answers 200.
    private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
        // @unchecked Sendable: used only on its channel's event loop.
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let received: NIOLockedValueBox<[Span]>
        var body: [UInt8] = []
        var path = ""

        init(received: NIOLockedValueBox<[Span]>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                let status: HTTPResponseStatus
                if path == "/v1/traces", let spans = try? OTLPDecoding.spans(in: body) {
                    received.withLockedValue { $0 += spans }
                    status = .ok
                } else {
                    status = .badRequest
                }
                var headers = HTTPHeaders([("Content-Type", "application/x-protobuf"), ("Content-Length", "0")])
                if status != .ok { headers.replaceOrAdd(name: "Connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

/// Just enough protobuf to read OTLP's `ExportTraceServiceRequest` (opentelemetry-proto
/// `trace/v1/trace.proto`, `common/v1/common.proto`).
enum OTLPDecoding {
    struct Malformed: Error {}

    /// A protobuf message's fields: number → values (varints as UInt64, length-delimited as bytes).
    struct Fields {
        var varints: [Int: [UInt64]] = [:]
        var bytes: [Int: [[UInt8]]] = [:]

        init(_ data: [UInt8]) throws {
            var index = 0
            func varint() throws -> UInt64 {
                var value: UInt64 = 0
                var shift: UInt64 = 0
                while true {
                    guard index < data.count, shift < 64 else { throw Malformed() }
                    let byte = data[index]
                    index += 1
                    value |= UInt64(byte & 0x7F) << shift
                    if byte & 0x80 == 0 { return value }
                    shift += 7
                }
            }
            while index < data.count {
                let key = try varint()
                let field = Int(key >> 3)
                switch key & 7 {
                case 0: varints[field, default: []].append(try varint())
                case 1: guard index + 8 <= data.count else { throw Malformed() }; index += 8
                case 5: guard index + 4 <= data.count else { throw Malformed() }; index += 4
                case 2:
                    let length = Int(try varint())
                    guard length >= 0, index + length <= data.count else { throw Malformed() }
                    bytes[field, default: []].append(Array(data[index..<index + length]))
                    index += length
                default: throw Malformed()
                }
            }
        }

        func messages(_ field: Int) throws -> [Fields] { try (bytes[field] ?? []).map(Fields.init) }
        func string(_ field: Int) -> String { bytes[field]?.first.map { String(decoding: $0, as: UTF8.self) } ?? "" }
        func hex(_ field: Int) -> String {
            (bytes[field]?.first ?? []).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// `KeyValue` list → strings (string, bool and int values; others empty).
    static func attributes(_ list: [Fields]) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in list {
            let value = try pair.messages(2).first
            if let string = value?.bytes[1]?.first {
                result[pair.string(1)] = String(decoding: string, as: UTF8.self)
            } else if let number = value?.varints[3]?.first ?? value?.varints[2]?.first {
                result[pair.string(1)] = "\(Int64(bitPattern: number))"
            } else {
                result[pair.string(1)] = ""
            }
        }
        return result
    }

    static func spans(in request: [UInt8]) throws -> [OTLPReceiver.Span] {
        var spans: [OTLPReceiver.Span] = []
        for resourceSpans in try Fields(request).messages(1) {
            let resource = try attributes(resourceSpans.messages(1).first?.messages(1) ?? [])
            for scopeSpans in try resourceSpans.messages(2) {
                for span in try scopeSpans.messages(2) {
                    spans.append(OTLPReceiver.Span(
                        service: resource["service.name"] ?? "", traceID: span.hex(1), spanID: span.hex(2),
                        parentID: span.hex(4), name: span.string(5), kind: Int(span.varints[6]?.first ?? 0),
                        attributes: try attributes(span.messages(9))))
                }
            }
        }
        return spans
    }
}
