import COpenSSL

/// Owns one OpenSSL `X509` and frees it when the last reference goes.
///
/// `@unchecked Sendable`: Weft never mutates a certificate after it is built or parsed. The only
/// state OpenSSL changes inside a shared `X509` is its lazily computed extension cache, which OpenSSL
/// guards with the certificate's own lock, so concurrent reads and verifications are safe.
final class X509Object: @unchecked Sendable {
    /// The `X509 *`.
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { X509_free(pointer) }
}
