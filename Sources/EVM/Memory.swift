/// A frame's byte-addressed memory. Grows in 32-byte words; the interpreter charges the quadratic
/// expansion gas (`GasSchedule.memoryCost`) before it calls `grow`. Owned by one `ExecutionFrame`,
/// which frees it.
struct Memory {
    /// Hard cap on a frame's memory (64 MiB). Its gas cost (over 8.6 × 10⁹) is beyond any sane gas
    /// limit, so a deterministic out-of-gas replaces an allocation failure.
    static let maxSize = 64 << 20

    private(set) var base: UnsafeMutableRawPointer?
    /// Current size in bytes, a multiple of 32 (MSIZE).
    private(set) var size = 0
    private var capacity = 0

    /// Grows to at least `newSize` bytes (rounded up to a word), zero-filled.
    mutating func grow(to newSize: Int) {
        let rounded = (newSize + 31) & ~31
        guard rounded > size else { return }
        if rounded > capacity {
            let newCapacity = Swift.max(rounded, Swift.min(capacity * 2, Memory.maxSize), 1024)
            let fresh = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            if let old = base {
                fresh.copyMemory(from: old, byteCount: size)
                old.deallocate()
            }
            base = fresh
            capacity = newCapacity
        }
        (base.unsafelyUnwrapped + size).initializeMemory(as: UInt8.self, repeating: 0, count: rounded - size)
        size = rounded
    }

    /// Pointer to byte `offset`; valid only for offsets below `size`.
    @inline(__always)
    func pointer(_ offset: Int) -> UnsafeMutableRawPointer { base.unsafelyUnwrapped + offset }

    /// A copy of `count` bytes at `offset` (both already within `size`, or `count` zero).
    func bytes(at offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer(offset), count: count))
    }

    /// Copies `count` bytes of `source` starting at `sourceOffset` to memory at `offset`, padding with
    /// zeros past the end of `source` (CALLDATACOPY, CODECOPY, EXTCODECOPY).
    func copy(from source: UnsafeRawBufferPointer, sourceOffset: UInt256, to offset: Int, count: Int) {
        guard count > 0 else { return }
        let destination = pointer(offset)
        let start = sourceOffset.clamped(to: source.count) ?? source.count
        let available = Swift.min(count, source.count - start)
        if available > 0, let sourceBase = source.baseAddress {
            destination.copyMemory(from: sourceBase + start, byteCount: available)
        }
        if available < count {
            (destination + Swift.max(available, 0)).initializeMemory(
                as: UInt8.self, repeating: 0, count: count - Swift.max(available, 0))
        }
    }

    /// Frees the buffer.
    mutating func release() {
        base?.deallocate()
        base = nil
        size = 0
        capacity = 0
    }
}
