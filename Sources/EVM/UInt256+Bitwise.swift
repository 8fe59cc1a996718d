/// Bitwise operations and shifts (AND, OR, XOR, NOT, SHL, SHR, SAR, BYTE).
extension UInt256 {
    @inlinable @inline(__always)
    public static func & (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(a.l0 & b.l0, a.l1 & b.l1, a.l2 & b.l2, a.l3 & b.l3)
    }

    @inlinable @inline(__always)
    public static func | (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(a.l0 | b.l0, a.l1 | b.l1, a.l2 | b.l2, a.l3 | b.l3)
    }

    @inlinable @inline(__always)
    public static func ^ (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(a.l0 ^ b.l0, a.l1 ^ b.l1, a.l2 ^ b.l2, a.l3 ^ b.l3)
    }

    @inlinable @inline(__always)
    public static prefix func ~ (a: UInt256) -> UInt256 {
        UInt256(~a.l0, ~a.l1, ~a.l2, ~a.l3)
    }

    /// `self << shift`; zero when `shift >= 256` (`shift` must not be negative).
    @inlinable
    public func shiftedLeft(by shift: Int) -> UInt256 {
        if shift >= 256 { return .zero }
        let r: UInt256
        switch shift >> 6 {
        case 0: r = self
        case 1: r = UInt256(0, l0, l1, l2)
        case 2: r = UInt256(0, 0, l0, l1)
        default: r = UInt256(0, 0, 0, l0)
        }
        let bits = UInt64(truncatingIfNeeded: shift & 63)
        if bits == 0 { return r }
        let back = 64 &- bits
        return UInt256(r.l0 &<< bits, (r.l1 &<< bits) | (r.l0 &>> back),
                       (r.l2 &<< bits) | (r.l1 &>> back), (r.l3 &<< bits) | (r.l2 &>> back))
    }

    /// `self >> shift` (logical); zero when `shift >= 256` (`shift` must not be negative).
    @inlinable
    public func shiftedRight(by shift: Int) -> UInt256 {
        if shift >= 256 { return .zero }
        let r: UInt256
        switch shift >> 6 {
        case 0: r = self
        case 1: r = UInt256(l1, l2, l3, 0)
        case 2: r = UInt256(l2, l3, 0, 0)
        default: r = UInt256(l3, 0, 0, 0)
        }
        let bits = UInt64(truncatingIfNeeded: shift & 63)
        if bits == 0 { return r }
        let back = 64 &- bits
        return UInt256((r.l0 &>> bits) | (r.l1 &<< back), (r.l1 &>> bits) | (r.l2 &<< back),
                       (r.l2 &>> bits) | (r.l3 &<< back), r.l3 &>> bits)
    }

    /// SHL: `value << shift`, where the shift is itself a word.
    @inlinable @inline(__always)
    public static func shl(_ shift: UInt256, _ value: UInt256) -> UInt256 {
        guard let amount = shift.clamped(to: 256) else { return .zero }
        return value.shiftedLeft(by: amount)
    }

    /// SHR: logical `value >> shift`.
    @inlinable @inline(__always)
    public static func shr(_ shift: UInt256, _ value: UInt256) -> UInt256 {
        guard let amount = shift.clamped(to: 256) else { return .zero }
        return value.shiftedRight(by: amount)
    }

    /// SAR: arithmetic `value >> shift`, filling with the sign bit.
    @inlinable
    public static func sar(_ shift: UInt256, _ value: UInt256) -> UInt256 {
        let negative = value.isNegative
        guard let amount = shift.clamped(to: 255) else { return negative ? .max : .zero }
        if !negative { return value.shiftedRight(by: amount) }
        return ~((~value).shiftedRight(by: amount))
    }

    /// BYTE: byte `index` of `value`, counting from the most significant; zero when `index >= 32`.
    @inlinable
    public static func byte(_ index: UInt256, _ value: UInt256) -> UInt256 {
        guard let i = index.clamped(to: 31) else { return .zero }
        let fromLeast = 31 - i
        let limb = value[limb: fromLeast >> 3]
        return UInt256((limb >> UInt64((fromLeast & 7) * 8)) & 0xff)
    }
}
