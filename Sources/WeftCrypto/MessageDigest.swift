import COpenSSL

/// SHA-256 for the signing and verification hot paths, through an `EVP_MD` fetched once.
///
/// `SHA256.hash` passes OpenSSL the legacy `EVP_sha256()` handle, for which OpenSSL 3 looks up
/// ("fetches") the provider implementation on every call — a lock and a cache lookup. Signing and
/// verification hash once per call, so they use this pre-fetched handle instead. Same digest.
enum MessageDigest {
    /// Owns the fetched `EVP_MD`.
    ///
    /// `@unchecked Sendable`: a fetched `EVP_MD` is immutable and OpenSSL allows sharing it across
    /// threads; it lives for the whole process.
    private final class Fetched: @unchecked Sendable {
        let sha256: OpaquePointer?

        init() { sha256 = EVP_MD_fetch(nil, "SHA256", nil) }

        deinit { EVP_MD_free(sha256) }
    }

    private static let fetched = Fetched()

    /// SHA-256 of `bytes`.
    static func sha256(_ bytes: some ContiguousBytes) -> [UInt8] {
        guard let md = fetched.sha256 else { return SHA256.hash(bytes) }
        var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
        let ok = bytes.withUnsafeBytes { buffer in
            var length: UInt32 = 0
            return EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, md, nil) == 1
        }
        return ok ? digest : SHA256.hash(bytes)
    }
}
