import NIOCore
import NIOPosix
import NIOSSL
import WeftCore
import WeftCrypto

/// Checks the certificate the other side of a TLS handshake presented, inside the handshake: parse
/// it, (client side) check that it names the host dialled and the node expected, and ask the
/// `Authorizer` for its organization and role. A refusal fails the handshake, so nothing is ever
/// read from or sent to an unverified peer.
enum PeerCertificateCheck {
    /// What the client expects of the server's certificate.
    struct ServerExpectation: Sendable {
        /// The host the client connected to: the certificate must name it in a subject alternative name.
        var host: String
        /// The node the client means to reach (e.g. `peer0.org1`): when set, the certificate's common
        /// name or a DNS name must be it.
        var nodeName: String?
    }

    /// Checks `chain` (leaf first) off the event loop, on the process's blocking executor, so that busy
    /// handler tasks cannot push handshakes past their timeout; completes on `eventLoop`.
    static func run(
        _ chain: [NIOSSLCertificate], expecting server: ServerExpectation?, authorize: @escaping Authorizer,
        on eventLoop: EventLoop
    ) -> EventLoopFuture<Result<Caller, RPCError>> {
        let ders = chain.map { try? $0.toDERBytes() }
        let promise = eventLoop.makePromise(of: Result<Caller, RPCError>.self)
        BlockingExecutor.shared.submit {
            promise.succeed(check(ders, expecting: server, authorize: authorize))
        }
        return promise.futureResult
    }

    static func check(_ chain: [[UInt8]?], expecting server: ServerExpectation?, authorize: Authorizer) -> Result<Caller, RPCError> {
        guard let first = chain.first, let der = first else {
            return .failure(RPCError(.unauthenticated, "no TLS certificate was presented"))
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(derRepresentation: der)
        } catch {
            return .failure(RPCError(.unauthenticated, "the TLS certificate is not a valid P-256 X.509 certificate: \(error)"))
        }
        let name = certificate.subject.commonName ?? "\(certificate.subject)"
        if let server {
            guard certificate.names(host: server.host) else {
                return .failure(RPCError(.unauthenticated,
                    "TLS certificate of '\(name)' does not name the host \(server.host) — check the profile's address"))
            }
            if let expected = server.nodeName, certificate.subject.commonName != expected, !certificate.names(host: expected) {
                return .failure(RPCError(.unauthenticated,
                    "TLS certificate of '\(name)' does not match the host name (expected '\(expected)') — check the profile's address"))
            }
        }
        return authorize(certificate).mapError { refusal in
            RPCError(.unauthenticated, "TLS certificate of '\(name)' refused: \(refusal.reason)")
        }
    }
}
