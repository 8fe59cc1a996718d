import NIOCore
import NIOPosix
import NIOSSL

/// A raw HTTP/1.1 response as the test client read it.
struct RawHTTPResponse {
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    let body: String
}

enum HTTPTestClientError: Error {
    case connectionClosed(received: String)
    case malformedResponse(String)
}

/// A tiny HTTP/1.1 client over a real loopback TCP connection, plain or TLS: sends raw bytes (so tests
/// can send garbage) and parses responses framed by Content-Length.
final class HTTPTestConnection {
    private let channel: any Channel
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var received: [UInt8] = []

    private init(channel: any Channel, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
                 inbound: NIOAsyncChannelInboundStream<ByteBuffer>) {
        self.channel = channel
        self.outbound = outbound
        self.inbound = inbound.makeAsyncIterator()
    }

    /// Connects to 127.0.0.1:`port` (over TLS with `tls`), runs `body`, closes.
    static func with<Result>(port: Int, tls: NIOSSLContext? = nil,
                             _ body: (HTTPTestConnection) async throws -> Result) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: nil))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(HTTPTestConnection(channel: channel.channel, outbound: outbound, inbound: inbound))
        }
    }

    /// One request on its own connection (over TLS with `tls`); the response.
    static func request(port: Int, tls: NIOSSLContext? = nil, _ method: String, _ path: String,
                        body: String? = nil) async throws -> RawHTTPResponse {
        try await with(port: port, tls: tls) { connection in
            try await connection.send(requestText(method, path, body: body, close: true))
            return try await connection.readResponse()
        }
    }

    /// The text of a request.
    static func requestText(_ method: String, _ path: String, body: String? = nil, close: Bool) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if close { text += "Connection: close\r\n" }
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        return text + "\r\n" + (body ?? "")
    }

    /// The certificate the server presented (TLS connections; after the first response).
    func serverCertificate() async throws -> NIOSSLCertificate? {
        try await channel.nioSSL_peerCertificate().get()
    }

    /// Whether the connection is still open (false once the server closed it).
    var isOpen: Bool { channel.isActive }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Reads until one whole response (head plus Content-Length body) has arrived.
    func readResponse() async throws -> RawHTTPResponse {
        while true {
            if let response = try parseOne() { return response }
            guard let more = try await inbound.next() else {
                throw HTTPTestClientError.connectionClosed(received: String(decoding: received, as: UTF8.self))
            }
            received.append(contentsOf: more.readableBytesView)
        }
    }

    /// Reads until the server closes the connection; returns what arrived after the responses read so far.
    func readToEnd() async throws -> String {
        while let more = try await inbound.next() {
            received.append(contentsOf: more.readableBytesView)
        }
        defer { received.removeAll() }
        return String(decoding: received, as: UTF8.self)
    }

    private func parseOne() throws -> RawHTTPResponse? {
        let separator = Array("\r\n\r\n".utf8)
        guard let headEnd = received.firstRange(of: separator) else { return nil }
        let headText = String(decoding: received[..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw HTTPTestClientError.malformedResponse(headText)
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPTestClientError.malformedResponse(line) }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: " ")
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard received.count - headEnd.upperBound >= length else { return nil }
        let body = String(decoding: received[headEnd.upperBound..<(headEnd.upperBound + length)], as: UTF8.self)
        received.removeFirst(headEnd.upperBound + length)
        return RawHTTPResponse(status: status, headers: headers, body: body)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
