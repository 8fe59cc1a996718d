import Raft
import Testing
@testable import EVM

extension UInt256 {
    /// A random word whose limbs are often zero or all ones, to hit carries and short divisors.
    static func random(using rng: inout SplitMix64) -> UInt256 {
        func limb() -> UInt64 {
            switch rng.next() % 5 {
            case 0: 0
            case 1: .max
            case 2: rng.next() % 1000
            default: rng.next()
            }
        }
        return UInt256(limb(), limb(), limb(), limb())
    }
}

@Suite struct UInt256Tests {
    let max = UInt256.max
    func hex(_ text: String) -> UInt256 { UInt256(hex: text)! }

    @Test func knownValues() {
        #expect(max &+ .one == .zero)
        #expect(UInt256.zero &- .one == max)
        #expect(max &* max == .one)
        #expect(hex("0x100000000000000000000000000000000") &* hex("0x100000000000000000000000000000000") == .zero)
        #expect(UInt256.power(2, 255) == hex("0x8000000000000000000000000000000000000000000000000000000000000000"))
        #expect(UInt256.power(2, 256) == .zero)
        #expect(UInt256.power(3, 5) == 243)
        #expect(UInt256.divide(max, by: 3).quotient == hex("0x5555555555555555555555555555555555555555555555555555555555555555"))
        #expect(UInt256.divide(7, by: 0) == (.zero, .zero))
        #expect(UInt256.signedDivide(max, 2) == .zero) // -1 / 2 = 0
        #expect(UInt256.signedDivide(hex("0x8000000000000000000000000000000000000000000000000000000000000000"), max)
            == hex("0x8000000000000000000000000000000000000000000000000000000000000000"))
        #expect(UInt256.signedModulo(UInt256(8).negated, 3) == UInt256(2).negated)
        #expect(UInt256.addMod(max, 2, max) == 2)
        #expect(UInt256.mulMod(max, max, 12) == 9)
        #expect(UInt256.signExtend(0, 0xff) == max)
        #expect(UInt256.signExtend(0, 0x7f) == 0x7f)
        #expect(UInt256.signExtend(31, 0xff) == 0xff)
        #expect(UInt256.sar(4, hex("0xf000000000000000000000000000000000000000000000000000000000000000"))
            == hex("0xff00000000000000000000000000000000000000000000000000000000000000"))
        #expect(UInt256.sar(300, max) == max)
        #expect(UInt256.shl(1, max) == max &- .one)
        #expect(UInt256.shr(256, max) == .zero)
        #expect(UInt256.byte(0, hex("0xab00000000000000000000000000000000000000000000000000000000000000")) == 0xab)
        #expect(UInt256.byte(31, 0xcd) == 0xcd)
        #expect(UInt256.byte(32, max) == .zero)
        #expect(UInt256.signedLess(max, .zero))
        #expect(!UInt256.signedLess(.zero, max))
        #expect(max.byteWidth == 32 && UInt256(256).byteWidth == 2 && UInt256.zero.byteWidth == 0)
        #expect(hex("0x1234").description == "0x1234")
        #expect(UInt256(hex: "0xzz") == nil)
        #expect(UInt256(bigEndian: [UInt8](repeating: 1, count: 33)) == nil)
    }

    @Test func divisionIdentityHoldsOnRandomWords() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let a = UInt256.random(using: &rng), b = UInt256.random(using: &rng)
            let (q, r) = UInt256.divide(a, by: b)
            if b.isZero { #expect(q == .zero && r == .zero); continue }
            #expect(r < b)
            #expect(q &* b &+ r == a, "\(a) / \(b)")
        }
    }

    @Test func modularArithmeticAgreesWithDefinition() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let a = UInt256.random(using: &rng), b = UInt256.random(using: &rng)
            var n = UInt256.random(using: &rng)
            if n.isZero { n = 1 }
            let reducedA = UInt256.divide(a, by: n).remainder, reducedB = UInt256.divide(b, by: n).remainder
            // addmod(a, b, n) == addmod(a mod n, b mod n, n), and with no overflow it equals (a+b) mod n.
            let sum = UInt256.addMod(a, b, n)
            #expect(sum == UInt256.addMod(reducedA, reducedB, n))
            #expect(sum < n)
            // mulmod(a, b, n) == mulmod(a mod n, b mod n, n); for small n compare with plain 64-bit math.
            let product = UInt256.mulMod(a, b, n)
            #expect(product == UInt256.mulMod(reducedA, reducedB, n))
            if n.fitsInUInt64 {
                let (high, low) = reducedA.l0.multipliedFullWidth(by: reducedB.l0)
                #expect(product == UInt256(n.l0.dividingFullWidth((high, low)).remainder))
            }
        }
    }

    @Test func shiftsAndBytesRoundTrip() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2_000 {
            let a = UInt256.random(using: &rng)
            let shift = Int(rng.next() % 260)
            #expect(UInt256(bigEndian: a.bigEndianBytes) == a)
            #expect(a.shiftedLeft(by: shift).shiftedRight(by: shift) == (shift >= 256 ? .zero : a & UInt256.max.shiftedRight(by: shift)))
            if shift < 256 {
                #expect(a.shiftedLeft(by: shift) == a &* UInt256.power(2, UInt256(shift)))
            }
            #expect(a &- a == .zero && a &+ a.negated == .zero && ~(~a) == a)
            #expect(UInt256.signedDivide(a, .one) == a)
        }
    }
}
