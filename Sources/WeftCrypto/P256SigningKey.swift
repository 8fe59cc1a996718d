import COpenSSL

/// An ECDSA P-256 private key that signs with SHA-256 and always produces low-S DER signatures.
///
/// Safe to sign with from many threads at once; each call borrows a pre-initialised OpenSSL context.
public struct P256SigningKey: Sendable {
    let key: EVPKey
    private let signer: PKeyContextPool

    /// The matching public key.
    public let publicKey: P256VerifyingKey

    /// Generates a fresh key pair from OpenSSL's DRBG.
    public init() throws(CryptoError) {
        try self.init(key: EVPKey.generateP256())
    }

    /// Parses an unencrypted PKCS#8 `PrivateKeyInfo` (DER) holding a P-256 key.
    public init(derRepresentation der: some ContiguousBytes) throws(CryptoError) {
        let info = try OpenSSLBytes.decodeDER(der, what: "PKCS#8 private key") { cursor, length in
            d2i_PKCS8_PRIV_KEY_INFO(nil, cursor, length)
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard let pointer = EVP_PKCS82PKEY(info) else {
            throw .malformed("PKCS#8 private key: \(OpenSSLErrorQueue.drain())")
        }
        try self.init(key: EVPKey(taking: pointer))
    }

    /// Parses a PEM `PRIVATE KEY` block (unencrypted PKCS#8).
    public init(pemRepresentation pem: String) throws(CryptoError) {
        let blocks = try PEM.blocks(in: pem)
        guard let block = blocks.first(where: { $0.label == PEM.privateKeyLabel }) else {
            let found = blocks.map { "'\($0.label)'" }.joined(separator: ", ")
            var hint = ""
            if blocks.contains(where: { $0.label == "EC PRIVATE KEY" }) {
                hint = " (convert a SEC1 key with: openssl pkcs8 -topk8 -nocrypt -in KEY)"
            } else if blocks.contains(where: { $0.label == "ENCRYPTED PRIVATE KEY" }) {
                hint = " (Weft reads unencrypted keys; decrypt with: openssl pkcs8 -in KEY)"
            }
            throw .malformed("PEM: expected a '\(PEM.privateKeyLabel)' block, found \(found)\(hint)")
        }
        try self.init(derRepresentation: block.der)
    }

    private init(key: EVPKey) throws(CryptoError) {
        self.key = key
        self.signer = PKeyContextPool(key: key, operation: .sign)
        self.publicKey = try P256VerifyingKey(key: key)
    }

    /// The private key as unencrypted PKCS#8 DER.
    public func derRepresentation() throws(CryptoError) -> [UInt8] {
        guard let info = EVP_PKEY2PKCS8(key.pointer) else { throw .fromQueue("EVP_PKEY2PKCS8") }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return try OpenSSLBytes.encodeDER("i2d_PKCS8_PRIV_KEY_INFO") { i2d_PKCS8_PRIV_KEY_INFO(info, $0) }
    }

    /// The private key as a PEM `PRIVATE KEY` block (unencrypted PKCS#8).
    public func pemRepresentation() throws(CryptoError) -> String {
        try PEM.encode(derRepresentation(), label: PEM.privateKeyLabel)
    }

    /// Signs SHA-256(`message`): a DER signature with low S.
    public func signature(for message: some ContiguousBytes) throws(CryptoError) -> [UInt8] {
        try signature(forDigest: MessageDigest.sha256(message))
    }

    /// Signs a SHA-256 digest the caller has already computed (32 bytes): a DER signature with low S.
    public func signature(forDigest digest: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard digest.count == SHA256.byteCount else {
            throw .malformed("digest: expected \(SHA256.byteCount) bytes, got \(digest.count)")
        }
        var der = [UInt8](repeating: 0, count: 80)
        let length: Int = try signer.withContext { context in
            var length = der.count
            return EVP_PKEY_sign(context, &der, &length, digest, digest.count) == 1 ? length : -1
        }
        guard length > 0 else { throw .fromQueue("EVP_PKEY_sign") }
        der.removeSubrange(length...)
        switch ECDSASignature.form(of: der) {
        case .strictLowS:
            return der
        case .strictHighS:
            if let parsed = ECDSASignature(strictDER: der) { return parsed.lowS.der }
            fallthrough
        case .notStrict:
            throw .openSSL(operation: "EVP_PKEY_sign", reason: "produced a signature that is not strict DER")
        }
    }
}
