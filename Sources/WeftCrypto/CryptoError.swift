import COpenSSL

/// Every failure of the crypto layer. OpenSSL failures keep OpenSSL's own reason string.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An OpenSSL call failed; `operation` names the call, `reason` is OpenSSL's error queue text.
    case openSSL(operation: String, reason: String)
    /// Input bytes are not a valid encoding of the expected key, certificate or signature.
    case malformed(String)
    /// A key, certificate or parameter is of the wrong kind (for example, not a P-256 key).
    case unsupported(String)
    /// A certificate failed verification against a CA.
    case certificateInvalid(String)

    public var description: String {
        switch self {
        case let .openSSL(operation, reason): "OpenSSL \(operation) failed: \(reason)"
        case let .malformed(what): "malformed input: \(what)"
        case let .unsupported(what): "unsupported: \(what)"
        case let .certificateInvalid(why): "certificate invalid: \(why)"
        }
    }

    /// Builds an `.openSSL` error from the thread's OpenSSL error queue, which it empties.
    static func fromQueue(_ operation: String) -> CryptoError {
        .openSSL(operation: operation, reason: OpenSSLErrorQueue.drain())
    }
}

/// Reads and clears OpenSSL's per-thread error queue.
enum OpenSSLErrorQueue {
    /// All queued error strings joined by "; ", or "no OpenSSL error reported" when empty.
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "no OpenSSL error reported" : reasons.joined(separator: "; ")
    }

    /// Discards any queued errors (after a failure that was expected and handled).
    static func clear() { ERR_clear_error() }
}
