import COpenSSL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// Reusable `EVP_PKEY_CTX` objects, each initialised once for signing or verifying with one key.
///
/// Creating and initialising a context costs a provider fetch (a lock and a lookup) per call; reusing
/// initialised contexts is what lets Weft sign and verify at OpenSSL's own speed. A context is used by
/// one thread at a time: `withContext` takes one from the idle list (or makes one), and returns it.
/// At most `maximumIdle` contexts are kept; extra ones are freed.
///
/// `@unchecked Sendable`: the idle list is only touched under `lock`, and each context is owned by
/// exactly one caller between take and return.
final class PKeyContextPool: @unchecked Sendable {
    /// What the contexts are initialised for.
    enum Operation {
        case sign
        case verify
    }

    private let key: EVPKey
    private let operation: Operation
    private let maximumIdle: Int
    private let lock = NIOLock()
    private var idle: [OpaquePointer] = []

    init(key: EVPKey, operation: Operation, maximumIdle: Int = 64) {
        self.key = key
        self.operation = operation
        self.maximumIdle = maximumIdle
    }

    deinit {
        for context in idle { EVP_PKEY_CTX_free(context) }
    }

    /// Lends an initialised context to `body` for the duration of the call.
    func withContext<R>(_ body: (OpaquePointer) -> R) throws(CryptoError) -> R {
        let context = try take()
        let result = body(context)
        give(back: context)
        return result
    }

    private func take() throws(CryptoError) -> OpaquePointer {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        if let reused { return reused }
        return try makeContext()
    }

    private func give(back context: OpaquePointer) {
        lock.lock()
        let keep = idle.count < maximumIdle
        if keep { idle.append(context) }
        lock.unlock()
        if !keep { EVP_PKEY_CTX_free(context) }
    }

    private func makeContext() throws(CryptoError) -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new(key.pointer, nil) else { throw .fromQueue("EVP_PKEY_CTX_new") }
        let initialised = switch operation {
        case .sign: EVP_PKEY_sign_init(context)
        case .verify: EVP_PKEY_verify_init(context)
        }
        guard initialised == 1 else {
            EVP_PKEY_CTX_free(context)
            throw .fromQueue(operation == .sign ? "EVP_PKEY_sign_init" : "EVP_PKEY_verify_init")
        }
        // With the digest declared, OpenSSL rejects inputs that are not exactly 32 bytes.
        guard EVP_PKEY_CTX_set_signature_md(context, EVP_sha256()) == 1 else {
            EVP_PKEY_CTX_free(context)
            throw .fromQueue("EVP_PKEY_CTX_set_signature_md")
        }
        return context
    }
}
