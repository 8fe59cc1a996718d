#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOSSL
import WeftCore
import WeftCrypto

/// What one side of a TLS connection proves itself with: its TLS certificate (issued by its
/// organization's TLS CA), any intermediate certificates, and the certificate's private key (P-256).
/// Servers and clients both hold one: every link is mutual TLS.
public struct RPCCredentials: Sendable {
    /// The leaf TLS certificate presented in the handshake.
    public let certificate: Certificate
    /// Intermediate CA certificates sent after the leaf (usually none).
    public let intermediates: [Certificate]
    /// The leaf and intermediates as swift-nio-ssl certificates (for other TLS servers of the node,
    /// such as the operations endpoint).
    public let sslCertificateChain: [NIOSSLCertificate]
    /// The private key as swift-nio-ssl uses it.
    public let sslPrivateKey: NIOSSLPrivateKey

    /// Creates credentials; throws if `privateKey` is not the key of `certificate`.
    public init(certificate: Certificate, privateKey: P256SigningKey, intermediates: [Certificate] = []) throws(RPCError) {
        guard certificate.publicKey == privateKey.publicKey else {
            throw RPCError(.internal, "the private key does not match the public key of \(certificate)")
        }
        do {
            self.sslCertificateChain = try ([certificate] + intermediates).map {
                try NIOSSLCertificate(bytes: $0.derRepresentation, format: .der)
            }
            self.sslPrivateKey = try NIOSSLPrivateKey(bytes: Array(privateKey.pemRepresentation().utf8), format: .pem)
        } catch {
            throw RPCError(.internal, "TLS cannot use the certificate or key of \(certificate.subject): \(error)")
        }
        self.certificate = certificate
        self.intermediates = intermediates
    }

    /// Reads a PEM certificate file (leaf first, then any intermediates) and a PEM private key file
    /// (PKCS#8, as `weft crypto generate` writes them: `tls/cert.pem`, `tls/key.pem`).
    public static func load(certificateFile: String, keyFile: String) throws(RPCError) -> RPCCredentials {
        let certificates: [Certificate]
        let key: P256SigningKey
        do {
            certificates = try Certificate.all(inPEM: try readText(certificateFile))
            key = try P256SigningKey(pemRepresentation: try readText(keyFile))
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.internal, "cannot load TLS credentials from \(certificateFile) and \(keyFile): \(error)")
        }
        guard let leaf = certificates.first else {
            throw RPCError(.internal, "no certificate in \(certificateFile)")
        }
        return try RPCCredentials(certificate: leaf, privateKey: key, intermediates: Array(certificates.dropFirst()))
    }

    private static func readText(_ path: String) throws(RPCError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RPCError(.internal, "cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
