import COpenSSL

/// Why a certificate did not verify against a set of trusted CAs: a classified reason, the depth in
/// the chain it applies to (0 = the leaf, 1 = its issuer), and OpenSSL's own code and message.
public struct CertificateVerificationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The classified reasons Weft acts on.
    public enum Reason: String, Hashable, Sendable {
        /// The check time is after `notAfter`.
        case expired
        /// The check time is before `notBefore`.
        case notYetValid
        /// A signature in the chain does not verify (tampered certificate, or signed by another key
        /// under the same issuer name).
        case signatureFailure
        /// No trusted CA issued the certificate (issuer name or key identifier matches none).
        case untrustedIssuer
        /// The issuing certificate may not issue certificates (not a CA, or keyUsage lacks certSign).
        case issuerNotCA
        /// A certificate field (for example a validity time) cannot be read.
        case malformedField
        /// Any other OpenSSL verification error; see `code` and `message`.
        case other
    }

    /// The classified reason.
    public let reason: Reason
    /// Depth in the chain of the certificate that failed (0 = the leaf).
    public let depth: Int
    /// OpenSSL's `X509_V_ERR_*` code.
    public let code: Int32
    /// OpenSSL's text for `code`, e.g. "certificate has expired".
    public let message: String

    init(code: Int32, depth: Int32) {
        self.code = code
        self.depth = Int(depth)
        self.message = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "error \(code)"
        self.reason = Self.classify(code)
    }

    /// `expired (depth 0): certificate has expired [X509_V_ERR 10]`.
    public var description: String { "\(reason.rawValue) (depth \(depth)): \(message) [X509_V_ERR \(code)]" }

    private static func classify(_ code: Int32) -> Reason {
        switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED: .expired
        case X509_V_ERR_CERT_NOT_YET_VALID: .notYetValid
        case X509_V_ERR_CERT_SIGNATURE_FAILURE, X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE,
             X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
            .signatureFailure
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
             X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_AKID_SKID_MISMATCH,
             X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH, X509_V_ERR_SUBJECT_ISSUER_MISMATCH:
            .untrustedIssuer
        case X509_V_ERR_INVALID_CA, X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
            .issuerNotCA
        case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
            .malformedField
        default:
            .other
        }
    }
}
