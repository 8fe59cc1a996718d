import COpenSSL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A set of trusted CA certificates (an OpenSSL `X509_STORE`) that verifies certificate chains at a
/// chosen time. Build it once per organization and reuse it: verification from many threads at once
/// is safe.
///
/// `@unchecked Sendable`: the store is filled in `init` and only read afterwards; OpenSSL locks an
/// `X509_STORE` internally for the lookups verification performs, and each verification uses its own
/// `X509_STORE_CTX`.
public final class CertificateTrustStore: @unchecked Sendable {
    private let store: OpaquePointer
    /// The trusted CA certificates.
    public let roots: [Certificate]

    /// A store trusting `roots`; throws if one cannot be added.
    public init(roots: [Certificate]) throws(CryptoError) {
        guard let store = X509_STORE_new() else { throw .fromQueue("X509_STORE_new") }
        self.store = store
        self.roots = roots
        for root in roots {
            // The store takes its own reference to each certificate.
            guard X509_STORE_add_cert(store, root.object.pointer) == 1 else {
                throw .fromQueue("X509_STORE_add_cert(\(root))")
            }
        }
    }

    deinit { X509_STORE_free(store) }

    /// Verifies that `leaf` chains to one of the roots (through `intermediates`, if any) and that
    /// every certificate of the chain is valid at `time`. Returns nil when it does, the reason when not.
    public func failure(
        verifying leaf: Certificate,
        intermediates: [Certificate] = [],
        at time: Date
    ) -> CertificateVerificationFailure? {
        guard let context = X509_STORE_CTX_new() else {
            OpenSSLErrorQueue.clear()
            return CertificateVerificationFailure(code: X509_V_ERR_OUT_OF_MEM, depth: 0)
        }
        defer { X509_STORE_CTX_free(context) }
        let untrusted = intermediates.isEmpty ? nil : OPENSSL_sk_new_null()
        defer { if let untrusted { OPENSSL_sk_free(untrusted) } }
        if let untrusted {
            for certificate in intermediates { OPENSSL_sk_push(untrusted, UnsafeRawPointer(certificate.object.pointer)) }
        }
        guard X509_STORE_CTX_init(context, store, leaf.object.pointer, untrusted) == 1 else {
            OpenSSLErrorQueue.clear()
            return CertificateVerificationFailure(code: X509_V_ERR_UNSPECIFIED, depth: 0)
        }
        // Sets X509_V_FLAG_USE_CHECK_TIME: validity is judged at `time`, not at the wall clock.
        X509_STORE_CTX_set_time(context, 0, time_t(time.timeIntervalSince1970.rounded(.down)))
        let verified = X509_verify_cert(context)
        // A rejected chain leaves reasons on this thread's error queue; the context holds the verdict.
        OpenSSLErrorQueue.clear()
        if verified == 1 { return nil }
        let code = X509_STORE_CTX_get_error(context)
        return CertificateVerificationFailure(
            code: code == X509_V_OK ? X509_V_ERR_UNSPECIFIED : code,
            depth: X509_STORE_CTX_get_error_depth(context)
        )
    }

    /// Like `failure(verifying:intermediates:at:)`, but throws `CryptoError.certificateInvalid` with
    /// the reason.
    public func verify(_ leaf: Certificate, intermediates: [Certificate] = [], at time: Date) throws(CryptoError) {
        if let failure = failure(verifying: leaf, intermediates: intermediates, at: time) {
            throw .certificateInvalid("\(leaf): \(failure)")
        }
    }
}

extension Certificate {
    /// Verifies that this certificate was issued by `authority` and that both are valid at `time`;
    /// nil when it was, the reason when not. For many verifications, keep a `CertificateTrustStore`.
    public func verificationFailure(issuedBy authority: Certificate, at time: Date) -> CertificateVerificationFailure? {
        do {
            return try CertificateTrustStore(roots: [authority]).failure(verifying: self, at: time)
        } catch {
            return CertificateVerificationFailure(code: X509_V_ERR_UNSPECIFIED, depth: 1)
        }
    }
}
