#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// Analyzed code by code hash, shared by every execution of a process so each contract is analyzed
/// once. Bounded: when full it starts over (analysis is deterministic, so this only costs time).
// @unchecked Sendable: all access to `entries` goes through `lock`.
public final class CodeAnalysisCache: @unchecked Sendable {
    private let lock = NIOLock()
    private var entries: [UInt256: AnalyzedCode] = [:]
    private let capacity: Int

    /// A cache holding at most `capacity` analyzed contracts.
    public init(capacity: Int = 4096) { self.capacity = capacity }

    /// The analysis of the code with hash `codeHash`, computed from `code()` on a miss.
    public func analysis(codeHash: UInt256, code: () -> [UInt8]) -> AnalyzedCode {
        lock.lock()
        if let hit = entries[codeHash] {
            lock.unlock()
            return hit
        }
        lock.unlock()
        let analyzed = AnalyzedCode(code())
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[codeHash] = analyzed
        lock.unlock()
        return analyzed
    }

    /// A cache shared by the whole process.
    public static let shared = CodeAnalysisCache()
}
