import EVM
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// The EVM addresses of recent submitters, by certificate bytes, so a repeat submitter costs one hash
/// of its certificate instead of a key lookup and a Keccak-256. Bounded: when full it starts over.
///
/// `@unchecked Sendable`: `entries` is only read or written under `lock`.
final class SubmitterAddressCache: @unchecked Sendable {
    /// Certificate bytes hashed as one buffer (an array of bytes hashes element by element).
    private struct Certificate: Hashable {
        let der: [UInt8]

        func hash(into hasher: inout Hasher) { der.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }

    private let lock = NIOLock()
    private var entries: [Certificate: Address] = [:]
    private let capacity: Int

    init(capacity: Int = 4096) { self.capacity = max(capacity, 1) }

    /// The address of the holder of `der`, computed by `derive` on a miss.
    func address(ofCertificate der: [UInt8], derive: ([UInt8]) throws -> Address) throws -> Address {
        let key = Certificate(der: der)
        lock.lock()
        let cached = entries[key]
        lock.unlock()
        if let cached { return cached }
        let address = try derive(der)
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = address
        lock.unlock()
        return address
    }

    /// The cache every `EVMChaincode` of the process shares.
    static let shared = SubmitterAddressCache()
}
