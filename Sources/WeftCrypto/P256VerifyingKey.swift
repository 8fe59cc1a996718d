import COpenSSL
import WeftCore

/// An ECDSA P-256 public key that checks SHA-256 signatures.
///
/// Two verifiers: `isValidSignature` is the ledger's — it accepts only canonical DER with low S, so
/// every signature has exactly one valid byte string — and `isValidSignatureRaw` accepts whatever
/// OpenSSL accepts (for conformance vectors and foreign signatures). Both are safe to call from many
/// threads at once; each call borrows a pre-initialised OpenSSL context.
public struct P256VerifyingKey: Sendable, Hashable, CustomStringConvertible {
    let key: EVPKey
    private let verifier: PKeyContextPool

    /// The key as DER SubjectPublicKeyInfo (the point uncompressed). Equal keys have equal bytes.
    public let derRepresentation: [UInt8]
    /// The public point `0x04 ‖ X ‖ Y` (65 bytes), as the EVM needs for addresses.
    public let uncompressedPoint: [UInt8]

    /// DER SubjectPublicKeyInfo prefix of a P-256 key, followed by the 65-byte uncompressed point.
    private static let spkiPrefix: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
        0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ]

    /// Parses a DER SubjectPublicKeyInfo; throws unless it is a P-256 key with nothing after it.
    public init(derRepresentation der: some ContiguousBytes) throws(CryptoError) {
        let pointer = try OpenSSLBytes.decodeDER(der, what: "SPKI public key") { cursor, length in
            d2i_PUBKEY(nil, cursor, length)
        }
        try self.init(key: EVPKey(taking: pointer))
    }

    /// Parses a PEM `PUBLIC KEY` block (SPKI).
    public init(pemRepresentation pem: String) throws(CryptoError) {
        try self.init(derRepresentation: PEM.decode(pem, label: PEM.publicKeyLabel))
    }

    /// Builds the key from its 65-byte uncompressed point `0x04 ‖ X ‖ Y`; throws if the point is not
    /// on the curve.
    public init(uncompressedPoint point: [UInt8]) throws(CryptoError) {
        guard point.count == 65, point[0] == 0x04 else {
            throw .malformed("P-256 point: expected 65 bytes starting 0x04, got \(point.count) bytes")
        }
        try self.init(derRepresentation: Self.spkiPrefix + point)
    }

    /// Wraps a key that OpenSSL has already parsed (from a private key or a certificate).
    init(key: EVPKey) throws(CryptoError) {
        self.key = key
        self.verifier = PKeyContextPool(key: key, operation: .verify)
        self.derRepresentation = try key.subjectPublicKeyInfo()
        self.uncompressedPoint = try key.uncompressedPoint()
    }

    /// SHA-256 of `derRepresentation` (SubjectPublicKeyInfo) in lower-case hex: how a channel pins a
    /// key (`openssl pkey -pubin -outform DER | sha256sum` prints the same).
    public var sha256Hex: String { Hex.encode(SHA256.hash(derRepresentation)) }

    /// The key as a PEM `PUBLIC KEY` block.
    public var pemRepresentation: String { PEM.encode(derRepresentation, label: PEM.publicKeyLabel) }

    /// Ledger verification: true only when `signature` is canonical DER with low S and is a valid
    /// ECDSA signature by this key over SHA-256(`message`).
    public func isValidSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes) -> Bool {
        isValidSignature(signature, forDigest: MessageDigest.sha256(message))
    }

    /// Ledger verification of a signature over a SHA-256 digest the caller has already computed.
    public func isValidSignature(_ signature: some ContiguousBytes, forDigest digest: [UInt8]) -> Bool {
        guard ECDSASignature.form(of: signature) == .strictLowS else { return false }
        return verifyRaw(signature, digest: digest)
    }

    /// Conformance verification: true when OpenSSL accepts `signature` over SHA-256(`message`),
    /// high S included.
    public func isValidSignatureRaw(_ signature: some ContiguousBytes, for message: some ContiguousBytes) -> Bool {
        verifyRaw(signature, digest: MessageDigest.sha256(message))
    }

    private func verifyRaw(_ signature: some ContiguousBytes, digest: [UInt8]) -> Bool {
        guard digest.count == SHA256.byteCount else { return false }
        let verdict: Int32? = try? verifier.withContext { context in
            signature.withUnsafeBytes { raw in
                guard let base = raw.baseAddress, raw.count > 0 else { return 0 }
                return EVP_PKEY_verify(context, base.assumingMemoryBound(to: UInt8.self), raw.count, digest, digest.count)
            }
        }
        guard verdict == 1 else {
            // A rejected signature leaves reasons on this thread's error queue; they are expected.
            OpenSSLErrorQueue.clear()
            return false
        }
        return true
    }

    public static func == (lhs: P256VerifyingKey, rhs: P256VerifyingKey) -> Bool {
        lhs.derRepresentation == rhs.derRepresentation
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(derRepresentation) }

    /// `P256VerifyingKey(04…)` with the first bytes of the point.
    public var description: String { "P256VerifyingKey(\(Hex.encode(uncompressedPoint.prefix(9)))…)" }
}
