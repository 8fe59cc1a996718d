import NIOConcurrencyHelpers
import NIOSSL
import WeftCrypto

/// The TLS side of a node or client: its current credentials and the protocol versions it speaks.
/// Every server and client connection of Weft is mutual TLS; there is no plaintext mode.
///
/// TLS 1.3 only by default; `allowsTLS12` also admits TLS 1.2 with ECDHE-ECDSA and AES-GCM (nothing
/// older, no other cipher). Peers are verified by Weft itself (the `Authorizer`, against the
/// organizations' TLS CAs), not by a system trust store.
///
/// `replace(_:)` swaps the certificate and key (rotation): connections opened afterwards use the new
/// ones, open connections keep theirs. Thread-safe.
public final class RPCTransportSecurity: Sendable {
    private struct Contexts {
        let credentials: RPCCredentials
        let server: NIOSSLContext
        let client: NIOSSLContext
    }

    /// Whether TLS 1.2 is accepted besides TLS 1.3.
    public let allowsTLS12: Bool
    private let current: NIOLockedValueBox<Contexts>

    /// TLS with `credentials`; throws when TLS cannot use them.
    public init(credentials: RPCCredentials, allowsTLS12: Bool = false) throws(RPCError) {
        self.allowsTLS12 = allowsTLS12
        current = NIOLockedValueBox(try Self.contexts(for: credentials, allowsTLS12: allowsTLS12))
    }

    /// The credentials new connections present.
    public var credentials: RPCCredentials { current.withLockedValue { $0.credentials } }

    /// Uses `credentials` for every connection opened from now on.
    public func replace(_ credentials: RPCCredentials) throws(RPCError) {
        let contexts = try Self.contexts(for: credentials, allowsTLS12: allowsTLS12)
        current.withLockedValue { $0 = contexts }
    }

    var serverContext: NIOSSLContext { current.withLockedValue { $0.server } }
    var clientContext: NIOSSLContext { current.withLockedValue { $0.client } }

    /// TLS 1.2 suites admitted when `allowsTLS12` (TLS 1.3's suites are all AEAD and fixed).
    static let tls12CipherSuites = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"

    private static func contexts(for credentials: RPCCredentials, allowsTLS12: Bool) throws(RPCError) -> Contexts {
        func configure(_ configuration: inout TLSConfiguration) {
            configuration.minimumTLSVersion = allowsTLS12 ? .tlsv12 : .tlsv13
            configuration.maximumTLSVersion = .tlsv13
            configuration.cipherSuites = tls12CipherSuites
            // Require and verify the other side's certificate; Weft's own callback does the checking
            // (organization TLS CAs, validity, role), so no system roots are loaded.
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates([])
        }
        var server = TLSConfiguration.makeServerConfiguration(
            certificateChain: credentials.sslCertificateChain.map { .certificate($0) },
            privateKey: .privateKey(credentials.sslPrivateKey))
        configure(&server)
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateChain = credentials.sslCertificateChain.map { .certificate($0) }
        client.privateKey = .privateKey(credentials.sslPrivateKey)
        configure(&client)
        do {
            return Contexts(
                credentials: credentials,
                server: try NIOSSLContext(configuration: server),
                client: try NIOSSLContext(configuration: client))
        } catch {
            throw RPCError(.internal, "cannot set up TLS with \(credentials.certificate.subject): \(error)")
        }
    }
}
