/// An ECDSA P-256 signature `(r, s)` and its strict DER form (`SEQUENCE { INTEGER r, INTEGER s }`).
///
/// Weft's ledger accepts exactly one byte string per signature: canonical DER (minimal lengths and
/// integers, no trailing bytes), `1 ≤ r, s < n`, and **low S** (`s ≤ n/2`). Otherwise a third party could
/// flip `s` to `n − s` and produce a second valid signature over the same bytes (malleability).
struct ECDSASignature: Hashable, Sendable {
    /// `r`, 32 bytes big-endian.
    let r: [UInt8]
    /// `s`, 32 bytes big-endian.
    let s: [UInt8]

    /// The order `n` of the P-256 group, big-endian.
    static let order: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ]

    /// `⌊n / 2⌋`: the largest low `s`.
    static let halfOrder: [UInt8] = [
        0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8,
    ]

    /// What a byte string is, as a ledger signature.
    enum Form: Equatable {
        /// Strict DER with `s ≤ n/2`: the only form the ledger accepts.
        case strictLowS
        /// Strict DER with `s > n/2`: valid ECDSA, but malleable.
        case strictHighS
        /// Not strict DER, or `r`/`s` outside `[1, n − 1]`.
        case notStrict
    }

    /// Classifies `der` without copying or allocating (the verify and sign hot paths).
    static func form(of der: some ContiguousBytes) -> Form {
        der.withUnsafeBytes { raw in
            guard let (_, s) = scan(raw) else { return .notStrict }
            return compare(raw, s, halfOrder) > 0 ? .strictHighS : .strictLowS
        }
    }

    /// Parses strict DER; nil for anything else (BER, padding, negative or out-of-range integers,
    /// trailing bytes).
    init?(strictDER der: some ContiguousBytes) {
        guard let parsed: ECDSASignature = der.withUnsafeBytes({ raw in
            guard let (r, s) = Self.scan(raw) else { return nil }
            return ECDSASignature(r: Self.padded(raw, r), s: Self.padded(raw, s))
        }) else { return nil }
        self = parsed
    }

    private init(r: [UInt8], s: [UInt8]) {
        self.r = r
        self.s = s
    }

    /// Whether `s ≤ n/2`.
    var isLowS: Bool {
        s.withUnsafeBytes { Self.compare($0, 0..<32, Self.halfOrder) <= 0 }
    }

    /// The same signature with `s` replaced by `n − s` when `s` is high; both verify equally.
    var lowS: ECDSASignature {
        isLowS ? self : ECDSASignature(r: r, s: Self.subtract(Self.order, s))
    }

    /// The canonical DER encoding.
    var der: [UInt8] {
        let rInteger = Self.derInteger(r)
        let sInteger = Self.derInteger(s)
        return [0x30, UInt8(rInteger.count + sInteger.count)] + rInteger + sInteger
    }

    // MARK: - DER

    /// Checks strict DER and returns the ranges of the magnitudes of `r` and `s` (leading zero
    /// byte stripped), or nil.
    private static func scan(_ raw: UnsafeRawBufferPointer) -> (Range<Int>, Range<Int>)? {
        // Content is at most 2 × 35 bytes, so every DER length here is short-form (< 128).
        guard raw.count >= 8, raw[0] == 0x30, raw[1] < 0x80, Int(raw[1]) == raw.count - 2 else { return nil }
        var index = 2
        guard let r = scanInteger(raw, &index), let s = scanInteger(raw, &index), index == raw.count else { return nil }
        return (r, s)
    }

    /// Reads one minimal, positive DER INTEGER in `[1, n − 1]`; returns its magnitude's range.
    private static func scanInteger(_ raw: UnsafeRawBufferPointer, _ index: inout Int) -> Range<Int>? {
        guard index + 2 <= raw.count, raw[index] == 0x02, raw[index + 1] < 0x80 else { return nil }
        let length = Int(raw[index + 1])
        var start = index + 2
        let end = start + length
        guard length >= 1, length <= 33, end <= raw.count else { return nil }
        index = end
        if raw[start] & 0x80 != 0 { return nil }                                // negative
        if length > 1, raw[start] == 0 {
            guard raw[start + 1] & 0x80 != 0 else { return nil }                // non-minimal
            start += 1
        }
        let magnitude = start..<end
        guard magnitude.count <= 32, !(magnitude.count == 1 && raw[start] == 0) else { return nil }  // zero
        return compare(raw, magnitude, order) < 0 ? magnitude : nil
    }

    /// Compares the big-endian magnitude `raw[range]` (at most 32 bytes) with a 32-byte constant.
    private static func compare(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, _ constant: [UInt8]) -> Int {
        if range.count < 32 { return -1 }   // constants (n, n/2) have a non-zero top byte
        var offset = 0
        for index in range {
            if raw[index] != constant[offset] { return raw[index] < constant[offset] ? -1 : 1 }
            offset += 1
        }
        return 0
    }

    private static func padded(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var offset = 32 - range.count
        for index in range {
            out[offset] = raw[index]
            offset += 1
        }
        return out
    }

    private static func derInteger(_ value: [UInt8]) -> [UInt8] {
        var magnitude = Array(value.drop { $0 == 0 })
        if magnitude.isEmpty { magnitude = [0] }
        if magnitude[0] & 0x80 != 0 { magnitude.insert(0, at: 0) }
        return [0x02, UInt8(magnitude.count)] + magnitude
    }

    // MARK: - 256-bit arithmetic on big-endian byte arrays

    private static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: a.count)
        var borrow = 0
        for index in stride(from: a.count - 1, through: 0, by: -1) {
            let difference = Int(a[index]) - Int(b[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            out[index] = UInt8((difference + 256) & 0xff)
        }
        return out
    }
}
