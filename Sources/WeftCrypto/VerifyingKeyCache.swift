#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// A bounded, thread-safe cache of parsed verifying keys, keyed by the bytes they were parsed from
/// (a DER SubjectPublicKeyInfo or a DER certificate).
///
/// Verifying many signatures by one signer then parses its key once. The cache keeps two
/// generations: lookups hit the current one or promote from the previous one; when the current one
/// holds `capacity / 2` entries it becomes the previous one and the oldest generation is dropped. So
/// at most `capacity` keys are held, recently used keys survive, and every operation is O(1).
///
/// `@unchecked Sendable`: both generations are only read or written under `lock`.
public final class VerifyingKeyCache: @unchecked Sendable {
    /// A process-wide cache for callers that do not manage their own.
    public static let shared = VerifyingKeyCache(capacity: 4096)

    private enum Source: Hashable {
        case subjectPublicKeyInfo([UInt8])
        case certificate([UInt8])
    }

    private let generationSize: Int
    private let lock = NIOLock()
    private var current: [Source: P256VerifyingKey] = [:]
    private var previous: [Source: P256VerifyingKey] = [:]

    /// A cache holding at most `capacity` keys (at least 2).
    public init(capacity: Int) {
        generationSize = max(1, capacity / 2)
    }

    /// The key in a DER SubjectPublicKeyInfo, parsed once.
    public func key(subjectPublicKeyInfo der: [UInt8]) throws(CryptoError) -> P256VerifyingKey {
        try key(for: .subjectPublicKeyInfo(der)) { () throws(CryptoError) in
            try P256VerifyingKey(derRepresentation: der)
        }
    }

    /// The public key of a DER certificate, parsed once. The certificate is not verified here.
    public func key(certificateDER der: [UInt8]) throws(CryptoError) -> P256VerifyingKey {
        try key(for: .certificate(der)) { () throws(CryptoError) in
            try Certificate(derRepresentation: der).publicKey
        }
    }

    /// How many keys are held now.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return current.count + previous.count
    }

    private func key(
        for source: Source,
        parse: () throws(CryptoError) -> P256VerifyingKey
    ) throws(CryptoError) -> P256VerifyingKey {
        if let cached = lookup(source) { return cached }
        // Parse outside the lock: two threads may parse the same key once each, which is harmless.
        let parsed = try parse()
        insert(parsed, for: source)
        return parsed
    }

    private func lookup(_ source: Source) -> P256VerifyingKey? {
        lock.lock()
        defer { lock.unlock() }
        if let hit = current[source] { return hit }
        guard let promoted = previous.removeValue(forKey: source) else { return nil }
        insertLocked(promoted, for: source)
        return promoted
    }

    private func insert(_ key: P256VerifyingKey, for source: Source) {
        lock.lock()
        defer { lock.unlock() }
        insertLocked(key, for: source)
    }

    private func insertLocked(_ key: P256VerifyingKey, for source: Source) {
        if current.count >= generationSize {
            previous = current
            current = [:]
        }
        current[source] = key
    }
}
