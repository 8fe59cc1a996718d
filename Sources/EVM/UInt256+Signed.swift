/// Operations that read the word as a two's complement signed integer (SDIV, SMOD, SIGNEXTEND, SLT, SGT).
extension UInt256 {
    /// The absolute value of the two's complement reading (2²⁵⁵ stays 2²⁵⁵).
    @inlinable @inline(__always)
    public var magnitude: UInt256 { isNegative ? negated : self }

    /// SDIV: signed division truncating toward zero; zero when `b` is zero; `-2²⁵⁵ / -1 = -2²⁵⁵`.
    @inlinable
    public static func signedDivide(_ a: UInt256, _ b: UInt256) -> UInt256 {
        if b.isZero { return .zero }
        let quotient = divide(a.magnitude, by: b.magnitude).quotient
        return a.isNegative != b.isNegative ? quotient.negated : quotient
    }

    /// SMOD: signed remainder with the sign of `a`; zero when `b` is zero.
    @inlinable
    public static func signedModulo(_ a: UInt256, _ b: UInt256) -> UInt256 {
        if b.isZero { return .zero }
        let remainder = divide(a.magnitude, by: b.magnitude).remainder
        return a.isNegative ? remainder.negated : remainder
    }

    /// SIGNEXTEND: extends the sign of the low `byteIndex + 1` bytes of `value` to all 256 bits.
    @inlinable
    public static func signExtend(_ byteIndex: UInt256, _ value: UInt256) -> UInt256 {
        guard let index = byteIndex.clamped(to: 30) else { return value }
        let signBit = index * 8 + 7
        let mask = UInt256.one.shiftedLeft(by: signBit + 1) &- .one // the kept low bits
        let negative = !(value.shiftedRight(by: signBit) & .one).isZero
        return negative ? value | ~mask : value & mask
    }
}
