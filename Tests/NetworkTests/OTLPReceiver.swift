import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny OTLP/HTTP trace receiver for tests: accepts `POST /v1/traces` with an
/// `ExportTraceServiceRequest` as `application/json` (what Weft's exporter sends), answers 200 with an
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
        var contentType = ""

        init(received: NIOLockedValueBox<[Span]>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
                contentType = head.headers.first(name: "Content-Type") ?? ""
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                let status: HTTPResponseStatus
                if path == "/v1/traces", contentType == "application/json", let spans = try? OTLPDecoding.spans(in: body) {
                    received.withLockedValue { $0 += spans }
                    status = .ok
                } else {
                    status = .badRequest
                }
                var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "2")])
                if status != .ok { headers.replaceOrAdd(name: "Connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "{}")))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

/// Reads OTLP's `ExportTraceServiceRequest` in the OTLP/HTTP JSON encoding (opentelemetry-proto
/// `trace/v1/trace.proto`, `common/v1/common.proto`; ids as hex, int64 values as strings).
enum OTLPDecoding {
    struct Malformed: Error {}

    /// `KeyValue` list → strings (string, bool and int values; others empty).
    static func attributes(_ list: Any?) throws -> [String: String] {
        guard let list = list as? [[String: Any]] else { return [:] }
        var result: [String: String] = [:]
        for pair in list {
            guard let key = pair["key"] as? String else { throw Malformed() }
            let value = pair["value"] as? [String: Any] ?? [:]
            if let string = value["stringValue"] as? String {
                result[key] = string
            } else if let number = value["intValue"] as? String {
                result[key] = number
            } else if let flag = value["boolValue"] as? Bool {
                result[key] = "\(flag)"
            } else {
                result[key] = ""
            }
        }
        return result
    }

    static func spans(in request: [UInt8]) throws -> [OTLPReceiver.Span] {
        guard let root = try JSONSerialization.jsonObject(with: Data(request)) as? [String: Any] else { throw Malformed() }
        var spans: [OTLPReceiver.Span] = []
        for resourceSpans in root["resourceSpans"] as? [[String: Any]] ?? [] {
            let resource = try attributes((resourceSpans["resource"] as? [String: Any])?["attributes"])
            for scopeSpans in resourceSpans["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scopeSpans["spans"] as? [[String: Any]] ?? [] {
                    // As a collector reads them: hex ids of 32 and 16 digits, times as decimal strings.
                    guard let traceID = span["traceId"] as? String, traceID.count == 32, let spanID = span["spanId"] as? String,
                          spanID.count == 16, let name = span["name"] as? String,
                          let start = span["startTimeUnixNano"] as? String, UInt64(start) != nil,
                          let end = span["endTimeUnixNano"] as? String, UInt64(end) != nil else { throw Malformed() }
                    spans.append(OTLPReceiver.Span(
                        service: resource["service.name"] ?? "", traceID: traceID, spanID: spanID,
                        parentID: span["parentSpanId"] as? String ?? "", name: name, kind: span["kind"] as? Int ?? 0,
                        attributes: try attributes(span["attributes"])))
                }
            }
        }
        return spans
    }
}
