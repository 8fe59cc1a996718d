/// Keccak-256 as Ethereum uses it: Keccak[r=1088, c=512] with the original Keccak padding (0x01 … 0x80),
/// not FIPS-202 SHA3-256 (which pads with 0x06). OpenSSL 3.0 lacks it, so it is written here on
/// 64-bit lanes with no allocation beyond the 32-byte result.
public enum Keccak256 {
    /// Digest length in bytes.
    public static let byteCount = 32
    /// Bytes absorbed per permutation (1088 bits).
    static let rate = 136

    /// The Keccak-256 digest of `bytes`.
    public static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The Keccak-256 digest of the bytes in `buffer`.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: byteCount)
        output.withUnsafeMutableBytes { out in
            hash(buffer, into: out.baseAddress.unsafelyUnwrapped)
        }
        return output
    }

    /// Hashes `buffer` and writes the 32-byte digest to `output` (which must have room for 32 bytes).
    public static func hash(_ buffer: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) {
        var state = KeccakState()
        var remaining = buffer.count
        var input = buffer.baseAddress
        while remaining >= rate, let block = input {
            state.absorb(block: block)
            input = block + rate
            remaining -= rate
        }
        // Last, partial block: copy, pad with 0x01 … 0x80, absorb.
        var last = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                    UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                    UInt64(0))
        withUnsafeMutableBytes(of: &last) { block in
            if remaining > 0, let tail = input {
                block.baseAddress.unsafelyUnwrapped.copyMemory(from: tail, byteCount: remaining)
            }
            block[remaining] ^= 0x01
            block[rate - 1] ^= 0x80
            state.absorb(block: UnsafeRawPointer(block.baseAddress.unsafelyUnwrapped))
        }
        state.squeeze(into: output)
    }
}

/// The 25-lane Keccak-f[1600] state.
struct KeccakState {
    var a0: UInt64 = 0, a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0, a4: UInt64 = 0
    var a5: UInt64 = 0, a6: UInt64 = 0, a7: UInt64 = 0, a8: UInt64 = 0, a9: UInt64 = 0
    var a10: UInt64 = 0, a11: UInt64 = 0, a12: UInt64 = 0, a13: UInt64 = 0, a14: UInt64 = 0
    var a15: UInt64 = 0, a16: UInt64 = 0, a17: UInt64 = 0, a18: UInt64 = 0, a19: UInt64 = 0
    var a20: UInt64 = 0, a21: UInt64 = 0, a22: UInt64 = 0, a23: UInt64 = 0, a24: UInt64 = 0

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    @inline(__always)
    private static func lane(_ p: UnsafeRawPointer, _ index: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
    }

    /// XORs one 136-byte block into the first 17 lanes and permutes.
    @inline(__always)
    mutating func absorb(block p: UnsafeRawPointer) {
        a0 ^= Self.lane(p, 0); a1 ^= Self.lane(p, 1); a2 ^= Self.lane(p, 2); a3 ^= Self.lane(p, 3)
        a4 ^= Self.lane(p, 4); a5 ^= Self.lane(p, 5); a6 ^= Self.lane(p, 6); a7 ^= Self.lane(p, 7)
        a8 ^= Self.lane(p, 8); a9 ^= Self.lane(p, 9); a10 ^= Self.lane(p, 10); a11 ^= Self.lane(p, 11)
        a12 ^= Self.lane(p, 12); a13 ^= Self.lane(p, 13); a14 ^= Self.lane(p, 14); a15 ^= Self.lane(p, 15)
        a16 ^= Self.lane(p, 16)
        permute()
    }

    /// Writes the first 32 bytes of the state (little-endian lanes).
    func squeeze(into output: UnsafeMutableRawPointer) {
        output.storeBytes(of: a0.littleEndian, toByteOffset: 0, as: UInt64.self)
        output.storeBytes(of: a1.littleEndian, toByteOffset: 8, as: UInt64.self)
        output.storeBytes(of: a2.littleEndian, toByteOffset: 16, as: UInt64.self)
        output.storeBytes(of: a3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { (x << n) | (x >> (64 &- n)) }

    /// Keccak-f[1600]: 24 rounds of θ, ρ, π, χ, ι, fully unrolled within a round.
    /// The lanes live in locals for the 24 rounds, so they stay in registers (or the stack frame)
    /// instead of being stored back to `self` every round.
    mutating func permute() {
        var a0 = self.a0
        var a1 = self.a1
        var a2 = self.a2
        var a3 = self.a3
        var a4 = self.a4
        var a5 = self.a5
        var a6 = self.a6
        var a7 = self.a7
        var a8 = self.a8
        var a9 = self.a9
        var a10 = self.a10
        var a11 = self.a11
        var a12 = self.a12
        var a13 = self.a13
        var a14 = self.a14
        var a15 = self.a15
        var a16 = self.a16
        var a17 = self.a17
        var a18 = self.a18
        var a19 = self.a19
        var a20 = self.a20
        var a21 = self.a21
        var a22 = self.a22
        var a23 = self.a23
        var a24 = self.a24
        for roundConstant in Self.roundConstants {
            // θ
            let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
            let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
            let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
            let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
            let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
            let d0 = c4 ^ Self.rotl(c1, 1)
            let d1 = c0 ^ Self.rotl(c2, 1)
            let d2 = c1 ^ Self.rotl(c3, 1)
            let d3 = c2 ^ Self.rotl(c4, 1)
            let d4 = c3 ^ Self.rotl(c0, 1)
            // ρ and π: b[y][2x+3y] = rot(a[x][y] ^ d[x], r[x][y])
            let b0 = a0 ^ d0
            let b10 = Self.rotl(a1 ^ d1, 1)
            let b20 = Self.rotl(a2 ^ d2, 62)
            let b5 = Self.rotl(a3 ^ d3, 28)
            let b15 = Self.rotl(a4 ^ d4, 27)
            let b16 = Self.rotl(a5 ^ d0, 36)
            let b1 = Self.rotl(a6 ^ d1, 44)
            let b11 = Self.rotl(a7 ^ d2, 6)
            let b21 = Self.rotl(a8 ^ d3, 55)
            let b6 = Self.rotl(a9 ^ d4, 20)
            let b7 = Self.rotl(a10 ^ d0, 3)
            let b17 = Self.rotl(a11 ^ d1, 10)
            let b2 = Self.rotl(a12 ^ d2, 43)
            let b12 = Self.rotl(a13 ^ d3, 25)
            let b22 = Self.rotl(a14 ^ d4, 39)
            let b23 = Self.rotl(a15 ^ d0, 41)
            let b8 = Self.rotl(a16 ^ d1, 45)
            let b18 = Self.rotl(a17 ^ d2, 15)
            let b3 = Self.rotl(a18 ^ d3, 21)
            let b13 = Self.rotl(a19 ^ d4, 8)
            let b14 = Self.rotl(a20 ^ d0, 18)
            let b24 = Self.rotl(a21 ^ d1, 2)
            let b9 = Self.rotl(a22 ^ d2, 61)
            let b19 = Self.rotl(a23 ^ d3, 56)
            let b4 = Self.rotl(a24 ^ d4, 14)
            // χ and ι
            a0 = b0 ^ (~b1 & b2) ^ roundConstant
            a1 = b1 ^ (~b2 & b3)
            a2 = b2 ^ (~b3 & b4)
            a3 = b3 ^ (~b4 & b0)
            a4 = b4 ^ (~b0 & b1)
            a5 = b5 ^ (~b6 & b7)
            a6 = b6 ^ (~b7 & b8)
            a7 = b7 ^ (~b8 & b9)
            a8 = b8 ^ (~b9 & b5)
            a9 = b9 ^ (~b5 & b6)
            a10 = b10 ^ (~b11 & b12)
            a11 = b11 ^ (~b12 & b13)
            a12 = b12 ^ (~b13 & b14)
            a13 = b13 ^ (~b14 & b10)
            a14 = b14 ^ (~b10 & b11)
            a15 = b15 ^ (~b16 & b17)
            a16 = b16 ^ (~b17 & b18)
            a17 = b17 ^ (~b18 & b19)
            a18 = b18 ^ (~b19 & b15)
            a19 = b19 ^ (~b15 & b16)
            a20 = b20 ^ (~b21 & b22)
            a21 = b21 ^ (~b22 & b23)
            a22 = b22 ^ (~b23 & b24)
            a23 = b23 ^ (~b24 & b20)
            a24 = b24 ^ (~b20 & b21)
        }
        self.a0 = a0
        self.a1 = a1
        self.a2 = a2
        self.a3 = a3
        self.a4 = a4
        self.a5 = a5
        self.a6 = a6
        self.a7 = a7
        self.a8 = a8
        self.a9 = a9
        self.a10 = a10
        self.a11 = a11
        self.a12 = a12
        self.a13 = a13
        self.a14 = a14
        self.a15 = a15
        self.a16 = a16
        self.a17 = a17
        self.a18 = a18
        self.a19 = a19
        self.a20 = a20
        self.a21 = a21
        self.a22 = a22
        self.a23 = a23
        self.a24 = a24
    }
}
