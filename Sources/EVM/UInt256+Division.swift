/// Unsigned division and modular arithmetic (DIV, MOD, ADDMOD, MULMOD) by Knuth's algorithm D on
/// 64-bit limbs, with scratch space on the stack. Division by zero yields zero, as the EVM defines it.
extension UInt256 {
    /// `(a / b, a % b)`; both zero when `b` is zero.
    @inlinable
    public static func divide(_ a: UInt256, by b: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        if b.isZero { return (.zero, .zero) }
        if a < b { return (.zero, a) }
        if a.fitsInUInt64 { return (UInt256(a.l0 / b.l0), UInt256(a.l0 % b.l0)) }
        return divideSlow(a, by: b)
    }

    @usableFromInline
    static func divideSlow(_ a: UInt256, by b: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        var quotient = UInt256.zero, remainder = UInt256.zero
        var u = a, v = b
        let m = a.limbCount, n = b.limbCount
        withUnsafeMutableBytes(of: &quotient) { q in
            withUnsafeMutableBytes(of: &remainder) { r in
                withUnsafeBytes(of: &u) { uBytes in
                    withUnsafeBytes(of: &v) { vBytes in
                        knuthDivide(
                            uBytes.assumingMemoryBound(to: UInt64.self).baseAddress.unsafelyUnwrapped, m,
                            vBytes.assumingMemoryBound(to: UInt64.self).baseAddress.unsafelyUnwrapped, n,
                            quotient: q.assumingMemoryBound(to: UInt64.self).baseAddress.unsafelyUnwrapped,
                            remainder: r.assumingMemoryBound(to: UInt64.self).baseAddress.unsafelyUnwrapped)
                    }
                }
            }
        }
        return (quotient, remainder)
    }

    /// Number of limbs up to the most significant nonzero one (0 for zero).
    @inlinable
    var limbCount: Int {
        if l3 != 0 { return 4 }
        if l2 != 0 { return 3 }
        if l1 != 0 { return 2 }
        return l0 != 0 ? 1 : 0
    }

    /// `(a + b) % n` without losing the 257th bit; zero when `n` is zero.
    @inlinable
    public static func addMod(_ a: UInt256, _ b: UInt256, _ n: UInt256) -> UInt256 {
        if n.isZero { return .zero }
        let (sum, overflow) = a.addingReportingOverflow(b)
        if !overflow { return divide(sum, by: n).remainder }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 5) { wide in
            let limbs = wide.baseAddress.unsafelyUnwrapped
            limbs[0] = sum.l0; limbs[1] = sum.l1; limbs[2] = sum.l2; limbs[3] = sum.l3; limbs[4] = 1
            return remainder(limbs, count: 5, modulo: n)
        }
    }

    /// `(a * b) % n` with the full 512-bit product; zero when `n` is zero.
    @inlinable
    public static func mulMod(_ a: UInt256, _ b: UInt256, _ n: UInt256) -> UInt256 {
        if n.isZero { return .zero }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8) { wide in
            let product = wide.baseAddress.unsafelyUnwrapped
            fullProduct(a, b, into: product)
            return remainder(product, count: 8, modulo: n)
        }
    }

    /// Writes the 512-bit product `a * b` as eight limbs, least significant first.
    @usableFromInline
    static func fullProduct(_ a: UInt256, _ b: UInt256, into product: UnsafeMutablePointer<UInt64>) {
        for i in 0..<8 { product[i] = 0 }
        for i in 0..<4 {
            var carry: UInt64 = 0
            let ai = a[limb: i]
            for j in 0..<4 {
                let p = ai.multipliedFullWidth(by: b[limb: j])
                let (s1, o1) = p.low.addingReportingOverflow(product[i + j])
                let (s2, o2) = s1.addingReportingOverflow(carry)
                product[i + j] = s2
                carry = p.high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            product[i + 4] = carry
        }
    }

    /// The remainder of the `count`-limb number at `limbs` divided by nonzero `n`.
    @usableFromInline
    static func remainder(_ limbs: UnsafeMutablePointer<UInt64>, count: Int, modulo n: UInt256) -> UInt256 {
        var m = count
        while m > 0 && limbs[m - 1] == 0 { m -= 1 }
        if m <= 4 {
            var value = UInt256.zero
            for i in 0..<m { value[limb: i] = limbs[i] }
            return divide(value, by: n).remainder
        }
        var divisor = n
        var result = UInt256.zero
        let nLimbs = n.limbCount
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 9) { quotient in
            withUnsafeBytes(of: &divisor) { v in
                withUnsafeMutableBytes(of: &result) { r in
                    knuthDivide(
                        UnsafePointer(limbs), m,
                        v.assumingMemoryBound(to: UInt64.self).baseAddress.unsafelyUnwrapped, nLimbs,
                        quotient: quotient.baseAddress.unsafelyUnwrapped,
                        remainder: r.assumingMemoryBound(to: UInt64.self).baseAddress.unsafelyUnwrapped)
                }
            }
        }
        return result
    }

    /// Knuth's algorithm D: divides the `m`-limb `u` by the `n`-limb `v` (`v[n-1] != 0`, `m >= n`,
    /// `m <= 8`, `n <= 4`), writing `m - n + 1` quotient limbs and `n` remainder limbs.
    @usableFromInline
    static func knuthDivide(
        _ u: UnsafePointer<UInt64>, _ m: Int, _ v: UnsafePointer<UInt64>, _ n: Int,
        quotient q: UnsafeMutablePointer<UInt64>, remainder r: UnsafeMutablePointer<UInt64>
    ) {
        if n == 1 {
            var rest: UInt64 = 0
            let d = v[0]
            for i in stride(from: m - 1, through: 0, by: -1) {
                (q[i], rest) = d.dividingFullWidth((rest, u[i]))
            }
            r[0] = rest
            return
        }
        let s = UInt64(v[n - 1].leadingZeroBitCount)
        @inline(__always) func joined(_ high: UInt64, _ low: UInt64) -> UInt64 {
            s == 0 ? high : (high << s) | (low >> (64 - s))
        }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { scratch in
            let vn = scratch.baseAddress.unsafelyUnwrapped
            let un = vn + 4
            for i in stride(from: n - 1, to: 0, by: -1) { vn[i] = joined(v[i], v[i - 1]) }
            vn[0] = v[0] << s
            un[m] = s == 0 ? 0 : u[m - 1] >> (64 - s)
            for i in stride(from: m - 1, to: 0, by: -1) { un[i] = joined(u[i], u[i - 1]) }
            un[0] = u[0] << s
            let vTop = vn[n - 1], vNext = vn[n - 2]
            for j in stride(from: m - n, through: 0, by: -1) {
                var qhat: UInt64, rhat: UInt64
                var rhatOverflow = false
                if un[j + n] >= vTop {
                    qhat = .max
                    (rhat, rhatOverflow) = un[j + n - 1].addingReportingOverflow(vTop)
                } else {
                    (qhat, rhat) = vTop.dividingFullWidth((un[j + n], un[j + n - 1]))
                }
                while !rhatOverflow {
                    let p = qhat.multipliedFullWidth(by: vNext)
                    guard p.high > rhat || (p.high == rhat && p.low > un[j + n - 2]) else { break }
                    qhat -= 1
                    (rhat, rhatOverflow) = rhat.addingReportingOverflow(vTop)
                }
                // Multiply and subtract qhat * vn from un[j ... j+n].
                var borrow: UInt64 = 0, carry: UInt64 = 0
                for i in 0..<n {
                    let p = qhat.multipliedFullWidth(by: vn[i])
                    let (low, c) = p.low.addingReportingOverflow(carry)
                    carry = p.high &+ (c ? 1 : 0)
                    let (t1, b1) = un[i + j].subtractingReportingOverflow(low)
                    let (t2, b2) = t1.subtractingReportingOverflow(borrow)
                    un[i + j] = t2
                    borrow = (b1 ? 1 : 0) &+ (b2 ? 1 : 0)
                }
                let (t1, b1) = un[j + n].subtractingReportingOverflow(carry)
                let (t2, b2) = t1.subtractingReportingOverflow(borrow)
                un[j + n] = t2
                if b1 || b2 {
                    // qhat was one too large: add the divisor back.
                    qhat -= 1
                    var addCarry: UInt64 = 0
                    for i in 0..<n {
                        let (s1, o1) = un[i + j].addingReportingOverflow(vn[i])
                        let (s2, o2) = s1.addingReportingOverflow(addCarry)
                        un[i + j] = s2
                        addCarry = (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                    }
                    un[j + n] &+= addCarry
                }
                q[j] = qhat
            }
            for i in 0..<(n - 1) { r[i] = s == 0 ? un[i] : (un[i] >> s) | (un[i + 1] << (64 - s)) }
            r[n - 1] = un[n - 1] >> s
        }
    }
}
