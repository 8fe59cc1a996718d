import COpenSSL

extension Certificate {
    /// Whether the certificate's signatureValue is a strict-DER ECDSA signature with low S.
    static func signatureIsLowS(_ x509: OpaquePointer) -> Bool {
        var signature: UnsafePointer<ASN1_BIT_STRING>?
        var algorithm: UnsafePointer<X509_ALGOR>?
        X509_get0_signature(&signature, &algorithm, x509)
        guard let signature, let data = ASN1_STRING_get0_data(signature) else { return false }
        let bytes = Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(signature))))
        return ECDSASignature.form(of: bytes) == .strictLowS
    }
}
