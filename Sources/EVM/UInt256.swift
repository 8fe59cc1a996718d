import WeftCore

/// A 256-bit unsigned integer, the EVM word: four 64-bit limbs, least significant first. All arithmetic
/// wraps modulo 2²⁵⁶ as the EVM defines it; signed operations read the word as two's complement.
/// A plain value type of 32 bytes: no heap allocation in any operation.
@frozen
public struct UInt256: Hashable, Sendable {
    /// Limbs, least significant first.
    public var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    /// The word with limbs `l0` (least significant) to `l3`.
    @inlinable @inline(__always)
    public init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    /// The word holding `value`.
    @inlinable @inline(__always)
    public init(_ value: UInt64) { self.init(value, 0, 0, 0) }

    /// The word holding `value`; a negative value gives its 256-bit two's complement.
    @inlinable @inline(__always)
    public init(_ value: Int) {
        let fill: UInt64 = value < 0 ? .max : 0
        self.init(UInt64(bitPattern: Int64(value)), fill, fill, fill)
    }

    public static let zero = UInt256(0, 0, 0, 0)
    public static let one = UInt256(1, 0, 0, 0)
    public static let max = UInt256(.max, .max, .max, .max)

    @inlinable @inline(__always)
    public var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// True when the value fits in 64 bits.
    @inlinable @inline(__always)
    public var fitsInUInt64: Bool { (l1 | l2 | l3) == 0 }

    /// The value as an `Int` when it is at most `limit`, else nil (always nil for a negative
    /// limit). For sizes and offsets.
    @inlinable @inline(__always)
    public func clamped(to limit: Int) -> Int? {
        fitsInUInt64 && limit >= 0 && l0 <= UInt64(limit) ? Int(l0) : nil
    }

    /// Bit 255, the sign of the two's complement reading.
    @inlinable @inline(__always)
    public var isNegative: Bool { l3 >> 63 == 1 }

    /// Limb `index` (0 = least significant).
    @inlinable @inline(__always)
    public subscript(limb index: Int) -> UInt64 {
        get {
            switch index {
            case 0: l0
            case 1: l1
            case 2: l2
            default: l3
            }
        }
        set {
            switch index {
            case 0: l0 = newValue
            case 1: l1 = newValue
            case 2: l2 = newValue
            default: l3 = newValue
            }
        }
    }

    /// Number of significant bits (0 for zero).
    @inlinable
    public var bitWidth: Int {
        if l3 != 0 { return 256 - l3.leadingZeroBitCount }
        if l2 != 0 { return 192 - l2.leadingZeroBitCount }
        if l1 != 0 { return 128 - l1.leadingZeroBitCount }
        return 64 - l0.leadingZeroBitCount
    }

    /// Number of significant bytes (0 for zero); EXP gas depends on it.
    @inlinable
    public var byteWidth: Int { (bitWidth + 7) / 8 }
}

// MARK: - Bytes

extension UInt256 {
    /// Reads 32 big-endian bytes at `pointer`.
    @inlinable @inline(__always)
    public init(bigEndianBytesAt pointer: UnsafeRawPointer) {
        self.init(
            UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
            UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
    }

    /// Writes the word as 32 big-endian bytes at `pointer`.
    @inlinable @inline(__always)
    public func storeBigEndian(to pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: l3.bigEndian, toByteOffset: 0, as: UInt64.self)
        pointer.storeBytes(of: l2.bigEndian, toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: l1.bigEndian, toByteOffset: 16, as: UInt64.self)
        pointer.storeBytes(of: l0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// The word of up to 32 big-endian bytes (shorter input is left-padded with zeros, as PUSH does);
    /// nil when longer than 32 bytes.
    @inlinable
    public init?(bigEndian bytes: some Collection<UInt8>) {
        let count = bytes.count
        guard count <= 32 else { return nil }
        var limbs: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var position = count // bytes still to place, counted from the least significant end
        for byte in bytes {
            position -= 1
            let value = UInt64(byte) << UInt64((position & 7) * 8)
            switch position >> 3 {
            case 0: limbs.0 |= value
            case 1: limbs.1 |= value
            case 2: limbs.2 |= value
            default: limbs.3 |= value
            }
        }
        self.init(limbs.0, limbs.1, limbs.2, limbs.3)
    }

    /// The 32 big-endian bytes of the word.
    public var bigEndianBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeMutableBytes { storeBigEndian(to: $0.baseAddress.unsafelyUnwrapped) }
        return bytes
    }

    /// Parses hex (optional 0x, up to 64 digits, odd lengths allowed); nil when not hex or too long.
    public init?(hex text: String) {
        var digits = Substring(text)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard digits.count <= 64 else { return nil }
        var word = UInt256.zero
        for character in digits {
            guard let value = character.hexDigitValue else { return nil }
            word = word.shiftedLeft(by: 4) | UInt256(UInt64(value))
        }
        self = word
    }
}

extension UInt256: CustomStringConvertible {
    /// `0x` followed by the minimal lower-case hex digits.
    public var description: String {
        if isZero { return "0x0" }
        let hex = Hex.encode(bigEndianBytes)
        let trimmed = hex.drop { $0 == "0" }
        return "0x" + trimmed
    }
}

extension UInt256: Comparable {
    @inlinable @inline(__always)
    public static func < (a: UInt256, b: UInt256) -> Bool {
        if a.l3 != b.l3 { return a.l3 < b.l3 }
        if a.l2 != b.l2 { return a.l2 < b.l2 }
        if a.l1 != b.l1 { return a.l1 < b.l1 }
        return a.l0 < b.l0
    }

    /// Signed (two's complement) less-than.
    @inlinable @inline(__always)
    public static func signedLess(_ a: UInt256, _ b: UInt256) -> Bool {
        let aNegative = a.isNegative, bNegative = b.isNegative
        if aNegative != bNegative { return aNegative }
        return a < b
    }
}

extension UInt256: ExpressibleByIntegerLiteral {
    @inlinable
    public init(integerLiteral value: UInt64) { self.init(value) }
}
