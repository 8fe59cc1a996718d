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
}
