import NIOConcurrencyHelpers
import NIOSSL

/// HTTPS for the operations endpoint (`operations.tls` in node YAML): the server presents the node's
/// TLS certificate; a client certificate is optional and, when presented, is checked by the node itself
/// (``isAdministrator``) for the routes that need an administrator (``OperationsAccess``).
///
/// The certificate and key are read from ``credentials`` for every accepted connection, so a rotated
/// certificate is used from the next connection on; the `NIOSSLContext` is rebuilt only when the leaf
/// certificate changes. Operations knows nothing of Weft's identities: the node injects both closures.
public struct OperationsTLS: Sendable {
    /// A certificate chain (leaf first) and the leaf's private key.
    public struct Credentials: Sendable {
        /// The leaf certificate, then any intermediates.
        public var certificateChain: [NIOSSLCertificate]
        /// The private key of the leaf.
        public var privateKey: NIOSSLPrivateKey

        /// Credentials from a chain and its key.
        public init(certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey) {
            self.certificateChain = certificateChain
            self.privateKey = privateKey
        }
    }

    /// The credentials a new connection presents; called once per accepted connection.
    public let credentials: @Sendable () -> Credentials
    /// The oldest TLS version accepted (TLS 1.3 is always the newest).
    public let minimumTLSVersion: TLSVersion
    /// Whether the client certificate `leafDER` (DER of the leaf the client presented in the handshake,
    /// whose key the client proved it holds) belongs to an administrator allowed to change the node.
    /// The closure must check the chain, validity and role itself: the TLS layer accepts any presented
    /// certificate, so that clients without a node certificate can still read `/healthz` and `/metrics`.
    public let isAdministrator: @Sendable (_ leafDER: [UInt8]) -> Bool
    private let cache: TLSContextCache

    /// HTTPS with the credentials `credentials` returns at each connection.
    public init(credentials: @escaping @Sendable () -> Credentials, minimumTLSVersion: TLSVersion = .tlsv13,
                isAdministrator: @escaping @Sendable (_ leafDER: [UInt8]) -> Bool) {
        self.credentials = credentials
        self.minimumTLSVersion = minimumTLSVersion
        self.isAdministrator = isAdministrator
        cache = TLSContextCache()
    }

    /// The server context for a new connection, from the current credentials; built again only when the
    /// leaf certificate differs from the last one. Throws when TLS cannot use the credentials.
    public func context() throws -> NIOSSLContext {
        let current = credentials()
        guard let leaf = current.certificateChain.first else { throw NIOSSLError.failedToLoadCertificate }
        let key = try leaf.toDERBytes()
        return try cache.context(for: key) {
            try Self.makeContext(current, minimumTLSVersion: minimumTLSVersion)
        }
    }

    /// A server context presenting `credentials` that requests, but does not require, a client
    /// certificate, and accepts whichever is presented (the per-request check decides what it may do).
    static func makeContext(_ credentials: Credentials, minimumTLSVersion: TLSVersion) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: credentials.certificateChain.map { .certificate($0) },
            privateKey: .privateKey(credentials.privateKey))
        configuration.minimumTLSVersion = minimumTLSVersion
        configuration.maximumTLSVersion = .tlsv13
        // Ask for a client certificate without requiring one. No trust roots: the custom verification
        // callback of each connection (``OperationsServer``) accepts the chain, and ``isAdministrator``
        // judges it per request.
        configuration.certificateVerification = .optionalVerification
        configuration.trustRoots = .certificates([])
        return try NIOSSLContext(configuration: configuration)
    }
}

/// The last `NIOSSLContext` built, keyed by the DER of its leaf certificate.
private final class TLSContextCache: Sendable {
    private let last = NIOLockedValueBox<(leafDER: [UInt8], context: NIOSSLContext)?>(nil)

    func context(for leafDER: [UInt8], make: () throws -> NIOSSLContext) throws -> NIOSSLContext {
        try last.withLockedValue { last in
            if let last, last.leafDER == leafDER { return last.context }
            let context = try make()
            last = (leafDER, context)
            return context
        }
    }
}
