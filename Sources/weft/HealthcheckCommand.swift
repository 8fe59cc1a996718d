import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import WeftNode
import WeftProtocol
import WeftCommandLine

/// `weft healthcheck`: `GET /healthz` on the operations endpoint of the node a YAML configuration
/// describes, over HTTPS when the node has `operationsTLS: true`. The container image's HEALTHCHECK
/// (docs/deployment.md): the image carries no curl or openssl.
struct HealthcheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Ask a node's operations endpoint whether the node is healthy (GET /healthz).",
        discussion: """
        Reads the node's YAML configuration (--config or WEFT_CONFIG; WEFT_OPERATIONS overrides its
        `operations` address, as for `weft peer start`) and dials that address, 127.0.0.1 for 0.0.0.0
        (::1 for ::). With `operationsTLS: true` it speaks HTTPS and trusts only the node's own TLS CA:
        <identity>/tls/ca.pem and the tlscacerts/ of the node's organization among the channel's MSP
        folders; it checks that the certificate names the address dialled, and sends no client
        certificate. Exit status 0 when the answer is 200, 3 when the endpoint cannot be reached or the
        TLS handshake fails, 4 for any other answer (the status line and the failed checks are printed).

        Examples:
          weft healthcheck --config /net/nodes/peer0.org1/node.yaml
          WEFT_CONFIG=/etc/weft/nodes/org1-peer-0.yaml weft healthcheck --timeout 3
          weft healthcheck --config node.yaml --address 10.0.0.5:9443 --json
        """
    )

    @Option(help: "The node's YAML configuration (or set WEFT_CONFIG).")
    var config: String?

    @Option(help: "Dial this host:port instead of the configuration's operations address.")
    var address: String?

    @Option(help: "Seconds to wait for the answer, connection and TLS handshake included.")
    var timeout: Double = 5

    @Flag(help: "Print one JSON document instead of text: {\"url\", \"status\", \"healthy\", \"body\"}.")
    var json = false

    /// The `--json` document.
    struct Report: Encodable {
        var url: String
        var status: Int
        var healthy: Bool
        var body: String
    }

    func run() async throws {
        guard timeout > 0, timeout <= 300 else { throw CLIFailure(.usage, "--timeout must be more than 0 and at most 300 seconds") }
        guard let path = config ?? ProcessInfo.processInfo.environment["WEFT_CONFIG"] else {
            throw CLIFailure(.usage, "weft healthcheck needs --config node.yaml (or WEFT_CONFIG): the node whose endpoint to ask")
        }
        let configuration: NodeConfiguration
        do {
            configuration = try NodeConfiguration.load(path: path)
        } catch {
            throw CLIFailure(.usage, "\(error)")
        }
        guard let operations = address ?? configuration.operations else {
            throw CLIFailure(.usage, "\(path) has no operations address; add `operations: 127.0.0.1:9443` or pass --address host:port")
        }
        guard let endpoint = Endpoint(operations) else {
            throw CLIFailure(.usage, "\"\(operations)\" is not host:port")
        }
        let host = Self.dialHost(endpoint.host)
        let useTLS = configuration.operationsTLS == true
        let url = "\(useTLS ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(endpoint.port)/healthz"
        let tls = try useTLS ? Self.clientContext(trusting: Self.trustRoots(of: configuration)) : nil

        let answer: HealthAnswer
        do {
            answer = try await HealthProbe.get(host: host, port: endpoint.port, tls: tls, timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            let reason = Self.explain(error, mspID: configuration.mspID, host: host)
            throw CLIFailure(.unreachable, "\(url): \(reason)\(useTLS ? "" : " (operationsTLS is off in \(path): plain HTTP)")")
        }
        let healthy = answer.status == .ok
        if json {
            try JSONOutput.print(Report(url: url, status: Int(answer.status.code), healthy: healthy, body: answer.body))
        } else if healthy {
            print("\(url): \(answer.status.code) \(answer.status.reasonPhrase)")
        } else {
            print("\(url): \(answer.status.code) \(answer.status.reasonPhrase)\n\(answer.body)")
        }
        if !healthy { throw ExitCode(ExitStatus.other.rawValue) }
    }

    /// Why the probe got no answer, in words that point at the fix, with the underlying error.
    static func explain(_ error: Error, mspID: String, host: String) -> String {
        if case NIOSSLError.handshakeFailed = error {
            return "TLS handshake failed: the endpoint's certificate is not from \(mspID)'s TLS CA, does not name \(host), "
                + "or is not valid now (\(error))"
        }
        if error is NIOConnectionError {
            return "cannot connect: is the node running, with its operations endpoint on this address? (\(error))"
        }
        if case ChannelError.connectTimeout = error {
            return "no connection within the timeout: is the address right? (\(error))"
        }
        return "\(error)"
    }

    /// Where to dial an address a server binds: the loopback address for the wildcard ones.
    static func dialHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "": return "127.0.0.1"
        case "::", "[::]": return "::1"
        default: return host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        }
    }

    /// The node's own TLS CA: `<identity>/tls/ca.pem` and the TLS CA certificates of the MSP folders
    /// of the node's organization.
    static func trustRoots(of configuration: NodeConfiguration) throws -> [NIOSSLCertificate] {
        var roots: [NIOSSLCertificate] = []
        let caFile = URL(fileURLWithPath: configuration.identity).appendingPathComponent("tls/ca.pem").path
        if FileManager.default.fileExists(atPath: caFile) {
            do {
                roots += try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw CLIFailure(.other, "\(caFile): not a PEM certificate: \(error)")
            }
        }
        if let organization = try? Organization.load(mspDirectory: URL(fileURLWithPath: configuration.mspPath)),
           organization.mspID == configuration.mspID {
            for certificate in organization.tlsCACertificates {
                roots.append(try NIOSSLCertificate(bytes: certificate.derRepresentation, format: .der))
            }
        }
        guard !roots.isEmpty else {
            throw CLIFailure(.other, "no TLS CA certificate for \(configuration.mspID): neither \(caFile) nor tlscacerts/ in its MSP folder \(configuration.mspPath)")
        }
        return roots
    }

    /// A TLS 1.2+ client that trusts `roots` only and checks the server's name.
    static func clientContext(trusting roots: [NIOSSLCertificate]) throws -> NIOSSLContext {
        var settings = TLSConfiguration.makeClientConfiguration()
        settings.minimumTLSVersion = .tlsv12
        settings.certificateVerification = .fullVerification
        settings.trustRoots = .certificates(roots)
        return try NIOSSLContext(configuration: settings)
    }
}

/// The status and (the first `bodyLimit` bytes of) the body of an operations endpoint's answer.
struct HealthAnswer: Sendable {
    var status: HTTPResponseStatus
    var body: String
}

/// One `GET` (`/healthz` unless told otherwise) over a new connection, closed after the answer.
enum HealthProbe {
    struct TimedOut: Error, CustomStringConvertible {
        let timeout: TimeAmount
        var description: String { "no answer within \(Double(timeout.nanoseconds) / 1e9) s" }
    }

    struct ClosedEarly: Error, CustomStringConvertible {
        var description: String { "the endpoint closed the connection before it answered" }
    }

    static func get(host: String, port: Int, path: String = "/healthz", bodyLimit: Int = 4096, tls: NIOSSLContext?,
                    timeout: TimeAmount) async throws -> HealthAnswer {
        let group = MultiThreadedEventLoopGroup.singleton
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: HealthAnswer.self)
        let hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        // An IP address is checked against the certificate's IP names (no SNI); a DNS name is sent as SNI.
        let serverName: String? = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        let deadline = eventLoop.scheduleTask(in: timeout) { promise.fail(TimedOut(timeout: timeout)) }
        defer { deadline.cancel() }
        let connecting = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(HealthResponseHandler(hostHeader: hostHeader, path: path, bodyLimit: bodyLimit, promise: promise))
                }
            }
            .connect(host: host, port: port)
        connecting.whenFailure { promise.fail($0) }
        do {
            let answer = try await promise.futureResult.get()
            if let channel = try? await connecting.get() { try? await channel.close() }
            return answer
        } catch {
            if let channel = try? await connecting.get() { try? await channel.close() }
            throw error
        }
    }
}

/// Sends `GET path` once the channel is active and completes `promise` with the answer.
private final class HealthResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let hostHeader: String
    private let path: String
    private let bodyLimit: Int
    private let promise: EventLoopPromise<HealthAnswer>
    private var status: HTTPResponseStatus?
    private var body = ByteBuffer()

    init(hostHeader: String, path: String, bodyLimit: Int, promise: EventLoopPromise<HealthAnswer>) {
        self.hostHeader = hostHeader
        self.path = path
        self.bodyLimit = bodyLimit
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: hostHeader)
        head.headers.add(name: "User-Agent", value: "weft-healthcheck/\(WeftVersion.current)")
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
        case .body(var part):
            let room = bodyLimit - body.readableBytes
            if room > 0, let slice = part.readSlice(length: min(room, part.readableBytes)) {
                var slice = slice
                body.writeBuffer(&slice)
            }
        case .end:
            let text = body.readString(length: body.readableBytes) ?? ""
            promise.succeed(HealthAnswer(status: status ?? .internalServerError, body: text))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(HealthProbe.ClosedEarly())
        context.fireChannelInactive()
    }
}
