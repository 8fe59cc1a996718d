import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// Serves one HTTP/1.1 connection of the operations server: reads each request whole (body up to a
/// limit), asks the router, writes the response, and keeps the connection for the next request unless
/// the client or a shutdown says otherwise. With TLS, a request that needs an administrator
/// (``OperationsAccess``) is answered 403 unless the connection's client certificate is one.
struct OperationsConnectionHandler: Sendable {
    let router: OperationsRouter
    let tracker: ConnectionTracker
    let maxBodyBytes: Int
    let tls: OperationsTLS?
    let logger: Logger

    private struct PendingRequest {
        var head: HTTPRequestHead
        var body: [UInt8] = []
    }

    func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let channel = connection.channel
        guard tracker.add(channel) else {
            try? await channel.close()
            return
        }
        defer { tracker.remove(channel) }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var pending: PendingRequest?
                var parts = inbound.makeAsyncIterator()
                while let part = try await parts.next() {
                    switch part {
                    case .head(let head):
                        _ = tracker.setBusy(channel, true)
                        pending = PendingRequest(head: head)
                    case .body(let buffer):
                        guard var request = pending else { continue }
                        pending = nil
                        guard request.body.count + buffer.readableBytes <= maxBodyBytes else {
                            let response = OperationsResponse.error(
                                .payloadTooLarge, "the request body exceeds \(maxBodyBytes) bytes")
                            try await write(response, keepAlive: false, version: request.head.version, to: outbound)
                            try await discardRest(of: &parts, channel: channel)
                            return
                        }
                        request.body.append(contentsOf: buffer.readableBytesView)
                        pending = request
                    case .end:
                        guard let request = pending else { continue }
                        pending = nil
                        let response = await answer(OperationsRequest(
                            method: request.head.method, uri: request.head.uri, body: request.body), on: channel)
                        let shuttingDown = tracker.setBusy(channel, false)
                        let keepAlive = request.head.isKeepAlive && !shuttingDown
                        try await write(response, keepAlive: keepAlive, version: request.head.version, to: outbound)
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            // Parser errors were answered with 400 by BadRequestResponder; a client that went away needs
            // no answer.
            logger.debug("operations connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// The router's answer, or 403 when the request needs an administrator and the connection's client
    /// certificate is not one.
    private func answer(_ request: OperationsRequest, on channel: any Channel) async -> OperationsResponse {
        guard let tls, OperationsAccess.required(method: request.method, path: request.path) == .administrator else {
            return await router.respond(to: request)
        }
        let leaf = await clientCertificate(of: channel)
        guard let leaf, tls.isAdministrator(leaf) else {
            logger.warning("operations request refused: not an administrator", metadata: [
                "request": "\(request.method.rawValue) \(request.path)",
                "remote": "\(channel.remoteAddress.map { "\($0)" } ?? "?")",
                "clientCertificate": "\(leaf == nil ? "none" : "presented")",
            ])
            return OperationsAccess.forbidden(method: request.method, path: request.path, presented: leaf != nil)
        }
        return await router.respond(to: request)
    }

    /// The DER of the leaf certificate the client presented in the TLS handshake, if any.
    private func clientCertificate(of channel: any Channel) async -> [UInt8]? {
        guard let certificate = try? await channel.nioSSL_peerCertificate().get() else { return nil }
        return try? certificate.toDERBytes()
    }

    /// After an early answer: closes the output and reads what the client still sends (up to a limit),
    /// so the client sees the answer and not a reset.
    private func discardRest(of parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
                             channel: any Channel) async throws {
        try await channel.close(mode: .output)
        var discarded = 0
        while let part = try await parts.next() {
            if case .body(let buffer) = part { discarded += buffer.readableBytes }
            if discarded > BadRequestResponder.maxDiscardedBytes { return }
        }
    }

    private func write(_ response: OperationsResponse, keepAlive: Bool, version: HTTPVersion,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var headers = HTTPHeaders()
        if let contentType = response.contentType {
            headers.add(name: "Content-Type", value: contentType)
        }
        for (name, value) in response.headers {
            headers.add(name: name, value: value)
        }
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: version.major == 1 ? version : .http1_1, status: response.status,
                                    headers: headers)
        try await outbound.write(.head(head))
        if !response.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        }
        try await outbound.write(.end(nil))
    }
}
