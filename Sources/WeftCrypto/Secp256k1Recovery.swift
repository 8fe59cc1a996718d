import COpenSSL

/// Public-key recovery on secp256k1 through OpenSSL's EC arithmetic: what the EVM's ecrecover
/// precompile (0x01) needs. Only recovery, no signing: Weft's own identities are P-256.
public enum Secp256k1Recovery {
    /// The 64-byte uncompressed public key (X ‖ Y) that signed `hash` with (r, s) and the
    /// y-parity `recoveryBit` (0 or 1), or nil when there is none (r or s out of range, r not an x
    /// coordinate on the curve, or the result at infinity).
    public static func recoverPublicKey(hash: [UInt8], r: [UInt8], s: [UInt8], recoveryBit: Int) -> [UInt8]? {
        guard hash.count == 32, r.count == 32, s.count == 32, recoveryBit == 0 || recoveryBit == 1,
              let context = BN_CTX_new() else { return nil }
        defer { BN_CTX_free(context); OpenSSLErrorQueue.clear() }
        guard let group = EC_GROUP_new_by_curve_name(NID_secp256k1) else { return nil }
        defer { EC_GROUP_free(group) }
        guard let order = EC_GROUP_get0_order(group) else { return nil }

        let rNumber = bignum(r), sNumber = bignum(s), e = bignum(hash)
        let rInverse = BN_new(), u1 = BN_new(), u2 = BN_new()
        let point = EC_POINT_new(group), result = EC_POINT_new(group)
        defer {
            [rNumber, sNumber, e, rInverse, u1, u2].forEach { BN_free($0) }
            EC_POINT_free(point)
            EC_POINT_free(result)
        }
        guard let rNumber, let sNumber, let e, let rInverse, let u1, let u2, let point, let result else { return nil }
        // 1 ≤ r, s < n.
        guard BN_is_zero(rNumber) == 0, BN_is_zero(sNumber) == 0,
              BN_cmp(rNumber, order) < 0, BN_cmp(sNumber, order) < 0 else { return nil }
        // R = the point with x = r and the given y parity.
        guard EC_POINT_set_compressed_coordinates(group, point, rNumber, Int32(recoveryBit), context) == 1 else { return nil }
        // Q = r⁻¹ (s·R − e·G) = (−e·r⁻¹)·G + (s·r⁻¹)·R.
        guard BN_mod_inverse(rInverse, rNumber, order, context) != nil,
              BN_mod_mul(u1, e, rInverse, order, context) == 1,
              BN_sub(u1, order, u1) == 1, BN_nnmod(u1, u1, order, context) == 1,
              BN_mod_mul(u2, sNumber, rInverse, order, context) == 1,
              EC_POINT_mul(group, result, u1, point, u2, context) == 1,
              EC_POINT_is_at_infinity(group, result) == 0 else { return nil }
        var encoded = [UInt8](repeating: 0, count: 65)
        let length = EC_POINT_point2oct(group, result, POINT_CONVERSION_UNCOMPRESSED, &encoded, 65, context)
        guard length == 65 else { return nil }
        return Array(encoded[1...])
    }

    private static func bignum(_ bytes: [UInt8]) -> OpaquePointer? {
        BN_bin2bn(bytes, Int32(bytes.count), nil)
    }
}
