#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Contract code prepared for the interpreter, once per code hash (after evmone's
/// `baseline_analysis.cpp`): the bytes padded with 33 zero bytes, so a PUSH32 at the end reads zeros
/// and running off the end meets STOP with no bounds check in the loop, and a bitset of the valid
/// JUMPDEST positions (a 0x5b inside PUSH data is not one).
// @unchecked Sendable: the buffers are written only in `init` and never mutated afterwards, so
// sharing an instance between threads (through `CodeAnalysisCache`) is safe.
public final class AnalyzedCode: @unchecked Sendable {
    /// Number of real code bytes.
    public let count: Int
    /// `count + 33` bytes: the code, then zeros.
    let bytes: UnsafeMutablePointer<UInt8>
    /// One bit per code position; set where a JUMPDEST may be jumped to.
    let jumpdests: UnsafeMutablePointer<UInt64>

    /// Analyzes `code`.
    public init(_ code: [UInt8]) {
        count = code.count
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: code.count + 33)
        bytes.initialize(repeating: 0, count: code.count + 33)
        code.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { bytes.update(from: base, count: code.count) }
        }
        let words = code.count / 64 + 1
        let jumpdests = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        jumpdests.initialize(repeating: 0, count: words)
        self.bytes = bytes
        self.jumpdests = jumpdests
        var pc = 0
        while pc < code.count {
            let op = bytes[pc]
            if op == 0x5b {
                jumpdests[pc >> 6] |= 1 << UInt64(pc & 63)
            } else if op >= 0x60 && op <= 0x7f {
                pc += Int(op - 0x5f)
            }
            pc += 1
        }
    }

    deinit {
        bytes.deallocate()
        jumpdests.deallocate()
    }

    /// True when `destination` is a JUMPDEST outside PUSH data.
    @inline(__always)
    func isValidJump(_ destination: UInt256) -> Bool {
        guard let target = destination.clamped(to: count - 1) else { return false }
        return jumpdests[target >> 6] & (1 << UInt64(target & 63)) != 0
    }

    /// The code bytes (a copy).
    public var code: [UInt8] { Array(UnsafeBufferPointer(start: bytes, count: count)) }
}
