import NIOSSL

/// Turns a TLS error into a reason an operator can act on ("the client sent no certificate").
enum TLSFailure {
    static func describe(_ error: Error) -> String {
        let text = "\(error)"
        let hints: [(String, String)] = [
            ("WRONG_VERSION_NUMBER", "the other side does not speak TLS (a plaintext client?)"),
            ("HTTP_REQUEST", "the other side sent plaintext HTTP, not TLS"),
            ("PEER_DID_NOT_RETURN_A_CERTIFICATE", "no client certificate was sent (every Weft port requires mutual TLS)"),
            ("CERTIFICATE_REQUIRED", "the server requires a client certificate and none was sent"),
            ("UNSUPPORTED_PROTOCOL", "the TLS versions do not overlap (Weft speaks TLS 1.3)"),
            ("NO_SHARED_CIPHER", "no cipher suite in common"),
            ("CERTIFICATE_VERIFY_FAILED", "the certificate was refused"),
            ("BAD_CERTIFICATE", "the other side refused this side's certificate"),
            ("CERTIFICATE_UNKNOWN", "the other side refused this side's certificate"),
            ("UNKNOWN_CA", "the other side does not trust this side's certificate authority"),
            ("CERTIFICATE_EXPIRED", "the other side finds this side's certificate expired"),
            ("EOF during handshake", "the other side closed the connection during the TLS handshake"),
            ("DECODE_ERROR", "the other side sent a malformed TLS message"),
            ("UNEXPECTED_RECORD", "the other side sent a malformed TLS record"),
        ]
        if let (_, hint) = hints.first(where: { text.contains($0.0) }) { return "\(hint) [\(text)]" }
        if let ssl = error as? NIOSSLError, case .uncleanShutdown = ssl {
            return "the connection closed during the TLS handshake"
        }
        return text
    }
}
