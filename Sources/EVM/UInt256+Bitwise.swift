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

    /// `self << shift`; zero when `shift >= 256`.
    @inlinable
    public func shiftedLeft(by shift: Int) -> UInt256 {
        if shift >= 256 { return .zero }
        if shift == 0 { return self }
        let limbShift = shift >> 6, bitShift = UInt64(shift & 63)
        var result = UInt256.zero
        for i in stride(from: 3, through: limbShift, by: -1) {
            let source = i - limbShift
            var limb = self[limb: source] << bitShift
            if bitShift != 0 && source > 0 { limb |= self[limb: source - 1] >> (64 - bitShift) }
            result[limb: i] = limb
        }
        return result
    }

    /// `self >> shift` (logical); zero when `shift >= 256`.
    @inlinable
    public func shiftedRight(by shift: Int) -> UInt256 {
        if shift >= 256 { return .zero }
        if shift == 0 { return self }
        let limbShift = shift >> 6, bitShift = UInt64(shift & 63)
        var result = UInt256.zero
        for i in 0..<(4 - limbShift) {
            let source = i + limbShift
            var limb = self[limb: source] >> bitShift
            if bitShift != 0 && source < 3 { limb |= self[limb: source + 1] << (64 - bitShift) }
            result[limb: i] = limb
        }
        return result
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
