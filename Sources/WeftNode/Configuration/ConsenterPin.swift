#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCore
import WeftCrypto

/// How the channel configuration pins a consenter's keys: SHA-256 (lower-case hex) of the public key
/// (SubjectPublicKeyInfo DER) of a certificate. The same value as
/// `openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum`.
public enum ConsenterPin {
    /// The pin of `certificate`'s key.
    public static func keySHA256(of certificate: Certificate) -> String {
        certificate.publicKey.sha256Hex
    }

    /// The pin of the key of the first certificate in the PEM file at `url`.
    public static func keySHA256(ofCertificateAt url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError.unreadable(path: url.path)
        }
        return keySHA256(of: try Certificate(pemRepresentation: String(decoding: data, as: UTF8.self)))
    }
}
