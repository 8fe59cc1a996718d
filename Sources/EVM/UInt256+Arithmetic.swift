/// Wrapping addition, subtraction, multiplication and exponentiation (ADD, SUB, MUL, EXP).
extension UInt256 {
    /// `a + b` modulo 2²⁵⁶.
    @inlinable @inline(__always)
    public static func &+ (a: UInt256, b: UInt256) -> UInt256 {
        a.addingReportingOverflow(b).sum
    }

    /// `a + b` and whether it overflowed 256 bits.
    @inlinable @inline(__always)
    public func addingReportingOverflow(_ b: UInt256) -> (sum: UInt256, overflow: Bool) {
        let (s0, c0) = l0.addingReportingOverflow(b.l0)
        var (s1, c1) = l1.addingReportingOverflow(b.l1)
        var (s2, c2) = l2.addingReportingOverflow(b.l2)
        var (s3, c3) = l3.addingReportingOverflow(b.l3)
        var carry: Bool
        (s1, carry) = s1.addingReportingOverflow(c0 ? 1 : 0); c1 = c1 || carry
        (s2, carry) = s2.addingReportingOverflow(c1 ? 1 : 0); c2 = c2 || carry
        (s3, carry) = s3.addingReportingOverflow(c2 ? 1 : 0); c3 = c3 || carry
        return (UInt256(s0, s1, s2, s3), c3)
    }

    /// `a - b` modulo 2²⁵⁶.
    @inlinable @inline(__always)
    public static func &- (a: UInt256, b: UInt256) -> UInt256 {
        let (d0, b0) = a.l0.subtractingReportingOverflow(b.l0)
        var (d1, b1) = a.l1.subtractingReportingOverflow(b.l1)
        var (d2, b2) = a.l2.subtractingReportingOverflow(b.l2)
        var (d3, _) = a.l3.subtractingReportingOverflow(b.l3)
        var borrow: Bool
        (d1, borrow) = d1.subtractingReportingOverflow(b0 ? 1 : 0); b1 = b1 || borrow
        (d2, borrow) = d2.subtractingReportingOverflow(b1 ? 1 : 0); b2 = b2 || borrow
        d3 = d3 &- (b2 ? 1 : 0)
        return UInt256(d0, d1, d2, d3)
    }

    /// The two's complement negation, `0 - a`.
    @inlinable @inline(__always)
    public var negated: UInt256 { UInt256.zero &- self }

    /// `a * b` modulo 2²⁵⁶ (schoolbook on limbs, only the products that land in the low 256 bits).
    @inlinable
    public static func &* (a: UInt256, b: UInt256) -> UInt256 {
        // Column 0
        let p00 = a.l0.multipliedFullWidth(by: b.l0)
        let r0 = p00.low
        // Column 1: carry + a0b1 + a1b0
        let p01 = a.l0.multipliedFullWidth(by: b.l1)
        let p10 = a.l1.multipliedFullWidth(by: b.l0)
        var (r1, c1a) = p00.high.addingReportingOverflow(p01.low)
        let c1b: Bool
        (r1, c1b) = r1.addingReportingOverflow(p10.low)
        // Column 2 accumulates the high halves of column 1 and the low halves of column 2.
        var r2 = p01.high
        var carry2: UInt64 = 0 // carries out of column 2 into column 3
        accumulate(&r2, &carry2, p10.high)
        accumulate(&r2, &carry2, c1a ? 1 : 0)
        accumulate(&r2, &carry2, c1b ? 1 : 0)
        let p02 = a.l0.multipliedFullWidth(by: b.l2)
        let p11 = a.l1.multipliedFullWidth(by: b.l1)
        let p20 = a.l2.multipliedFullWidth(by: b.l0)
        accumulate(&r2, &carry2, p02.low)
        accumulate(&r2, &carry2, p11.low)
        accumulate(&r2, &carry2, p20.low)
        // Column 3: everything wraps.
        let r3 = carry2 &+ p02.high &+ p11.high &+ p20.high
            &+ a.l0 &* b.l3 &+ a.l1 &* b.l2 &+ a.l2 &* b.l1 &+ a.l3 &* b.l0
        return UInt256(r0, r1, r2, r3)
    }

    @inlinable @inline(__always)
    static func accumulate(_ sum: inout UInt64, _ carry: inout UInt64, _ x: UInt64) {
        let (s, o) = sum.addingReportingOverflow(x)
        sum = s
        carry &+= o ? 1 : 0
    }

    /// `base ** exponent` modulo 2²⁵⁶ by square-and-multiply.
    @inlinable
    public static func power(_ base: UInt256, _ exponent: UInt256) -> UInt256 {
        var result = UInt256.one
        var square = base
        var e = exponent
        while !e.isZero {
            if e.l0 & 1 == 1 { result = result &* square }
            e = e.shiftedRight(by: 1)
            if !e.isZero { square = square &* square }
        }
        return result
    }
}
