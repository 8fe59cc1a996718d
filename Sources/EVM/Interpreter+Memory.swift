/// Memory access with its gas: expansion is charged (quadratically) before memory is touched.
extension Interpreter {
    /// A region of memory as byte offsets.
    struct Region {
        let offset: Int
        let size: Int
    }

    /// Charges the expansion to cover `size` bytes at `offset` and grows memory; nil means out of gas.
    /// A zero size touches nothing, whatever the offset.
    @inline(__always)
    static func chargeMemory(_ memory: inout Memory, _ gas: inout Int, _ offset: UInt256, _ size: UInt256) -> Region? {
        if size.isZero { return Region(offset: 0, size: 0) }
        guard let start = offset.clamped(to: Memory.maxSize), let count = size.clamped(to: Memory.maxSize),
              start &+ count <= Memory.maxSize else { return nil }
        guard expand(&memory, &gas, to: start &+ count) else { return nil }
        return Region(offset: start, size: count)
    }

    /// Like `chargeMemory`, plus 3 gas per word copied (the *COPY opcodes).
    @inline(__always)
    static func chargeCopy(_ memory: inout Memory, _ gas: inout Int, _ offset: UInt256, _ size: UInt256) -> Region? {
        guard let region = chargeMemory(&memory, &gas, offset, size) else { return nil }
        gas &-= GasSchedule.copyPerWord &* GasSchedule.words(region.size)
        return gas < 0 ? nil : region
    }

    /// Charges for `width` bytes (32 or 1) at `offset`; nil means out of gas.
    @inline(__always)
    static func chargeWord(_ memory: inout Memory, _ gas: inout Int, _ offset: UInt256, _ width: Int) -> Int? {
        guard let start = offset.clamped(to: Memory.maxSize - 32) else { return nil }
        if start &+ width <= memory.size { return start }
        return expand(&memory, &gas, to: start &+ width) ? start : nil
    }

    @inline(__always)
    static func expand(_ memory: inout Memory, _ gas: inout Int, to end: Int) -> Bool {
        if end <= memory.size { return true }
        let newWords = GasSchedule.words(end), oldWords = memory.size / 32
        gas &-= GasSchedule.memoryCost(words: newWords) &- GasSchedule.memoryCost(words: oldWords)
        if gas < 0 { return false }
        memory.grow(to: end)
        return true
    }

    /// MCOPY (EIP-5656): overlapping regions copy as if through a buffer.
    static func copyWithinMemory(_ memory: inout Memory, _ gas: inout Int, destination: UInt256, source: UInt256, size: UInt256) -> StatusCode? {
        if size.isZero { return nil }
        guard let count = size.clamped(to: Memory.maxSize),
              let from = source.clamped(to: Memory.maxSize), let to = destination.clamped(to: Memory.maxSize)
        else { return .outOfGas }
        gas &-= GasSchedule.copyPerWord &* GasSchedule.words(count)
        if gas < 0 { return .outOfGas }
        guard chargeMemory(&memory, &gas, UInt256(max(from, to)), size) != nil else { return .outOfGas }
        memory.pointer(to).copyMemory(from: memory.pointer(from), byteCount: count) // memmove semantics
        return nil
    }

    /// CALLDATALOAD: 32 bytes of `data` at `offset`, zero-padded past the end.
    @inline(__always)
    static func loadWord(_ data: [UInt8], at offset: UInt256) -> UInt256 {
        guard let start = offset.clamped(to: data.count), start < data.count else { return .zero }
        return data.withUnsafeBytes { bytes in
            if start &+ 32 <= bytes.count { return UInt256(bigEndianBytesAt: bytes.baseAddress.unsafelyUnwrapped + start) }
            var padded = (UInt256.zero)
            return withUnsafeMutableBytes(of: &padded) { buffer in
                buffer.baseAddress.unsafelyUnwrapped.copyMemory(from: bytes.baseAddress.unsafelyUnwrapped + start, byteCount: bytes.count - start)
                return UInt256(bigEndianBytesAt: UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped))
            }
        }
    }

    /// The big-endian immediate of a PUSH of `count` bytes at `bytes` (code is padded, so reading
    /// past the end yields zeros).
    @inline(__always)
    static func readImmediate(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt256 {
        if count <= 8 {
            var value: UInt64 = 0
            for i in 0..<count { value = value << 8 | UInt64(bytes[i]) }
            return UInt256(value)
        }
        var word = UInt256.zero
        return withUnsafeMutableBytes(of: &word) { buffer in
            let base = buffer.baseAddress.unsafelyUnwrapped
            (base + (32 - count)).copyMemory(from: bytes, byteCount: count)
            return UInt256(bigEndianBytesAt: UnsafeRawPointer(base))
        }
    }
}
