import COpenSSL

/// Owns one OpenSSL `EVP_PKEY` holding a P-256 key, and frees it when the last reference goes.
///
/// `@unchecked Sendable`: the key is never mutated after `init` (OpenSSL keys are immutable once
/// built, and their reference count is atomic), so reading it from many threads is safe. Per-call
/// mutable state lives in `EVP_PKEY_CTX` objects that `PKeyContextPool` lends to one thread at a time.
final class EVPKey: @unchecked Sendable {
    /// The `EVP_PKEY *`.
    let pointer: OpaquePointer

    /// Takes ownership of `pointer` after checking that it is an EC key on P-256.
    init(taking pointer: OpaquePointer) throws(CryptoError) {
        self.pointer = pointer
        guard EVP_PKEY_get_base_id(pointer) == EVP_PKEY_EC else {
            throw .unsupported("key type \(Self.typeName(pointer)); Weft uses ECDSA P-256 keys")
        }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(pointer, &name, name.count, &length) == 1 else {
            throw .unsupported("EC key without a named curve; Weft uses P-256 (prime256v1)")
        }
        let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard curve == "prime256v1" || curve == "P-256" || curve == "secp256r1" else {
            throw .unsupported("EC curve \(curve); Weft uses P-256 (prime256v1)")
        }
    }

    deinit { EVP_PKEY_free(pointer) }

    /// Shares an `EVP_PKEY` that someone else owns (for example a certificate's key) by taking a
    /// reference of our own.
    convenience init(sharing pointer: OpaquePointer) throws(CryptoError) {
        guard EVP_PKEY_up_ref(pointer) == 1 else { throw .fromQueue("EVP_PKEY_up_ref") }
        try self.init(taking: pointer)
    }

    /// Generates a fresh P-256 key pair from OpenSSL's DRBG.
    static func generateP256() throws(CryptoError) -> EVPKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw .fromQueue("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .fromQueue("EVP_PKEY_keygen_init") }
        guard EVP_PKEY_CTX_set_group_name(context, "P-256") == 1 else {
            throw .fromQueue("EVP_PKEY_CTX_set_group_name")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw .fromQueue("EVP_PKEY_generate") }
        return try EVPKey(taking: key)
    }

    /// The public key as DER SubjectPublicKeyInfo (uncompressed point).
    func subjectPublicKeyInfo() throws(CryptoError) -> [UInt8] {
        try OpenSSLBytes.encodeDER("i2d_PUBKEY") { i2d_PUBKEY(pointer, $0) }
    }

    /// The public point as `0x04 ‖ X ‖ Y` (65 bytes).
    func uncompressedPoint() throws(CryptoError) -> [UInt8] {
        var x: OpaquePointer?
        var y: OpaquePointer?
        defer {
            BN_free(x)
            BN_free(y)
        }
        guard EVP_PKEY_get_bn_param(pointer, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1, let x,
              EVP_PKEY_get_bn_param(pointer, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1, let y,
              let xBytes = OpenSSLBytes.paddedBytes(of: x, width: 32),
              let yBytes = OpenSSLBytes.paddedBytes(of: y, width: 32)
        else { throw .fromQueue("EVP_PKEY_get_bn_param(pub x/y)") }
        return [0x04] + xBytes + yBytes
    }

    private static func typeName(_ pointer: OpaquePointer) -> String {
        EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown"
    }
}
