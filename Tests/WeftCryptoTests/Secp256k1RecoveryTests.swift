import Testing
import WeftCore
import WeftCrypto

/// secp256k1 public-key recovery, on a signature by private key 1 made with an independent
/// implementation: the key must be the generator point G.
@Suite struct Secp256k1RecoveryTests {
    let hash = Hex.decode("066adfe6a90c47f0b8235f11a1ed28669abc45bb87a1fb0a5f3cbd4f32bfb60f")!
    let r = Hex.decode("d47644539acec3da5e3ecf5fe8863c628a9c97e8b71e9ea9167a6f4f83c03c32")!
    let s = Hex.decode("3a05e6ac0ce9301c76b25ff56e04893606fd6342e9890b25e3b033b46d178f10")!

    @Test func recoversTheGeneratorForPrivateKeyOne() throws {
        let key = try #require(Secp256k1Recovery.recoverPublicKey(hash: hash, r: r, s: s, recoveryBit: 1))
        #expect(Hex.encode(key) == "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
        #expect(Hex.encode(Keccak256.hash(key)[12...]) == "7e5f4552091a69125d5dfcb7b8c2659029395bdf")
    }

    @Test func rejectsOutOfRangeInput() {
        #expect(Secp256k1Recovery.recoverPublicKey(hash: hash, r: [UInt8](repeating: 0, count: 32), s: s, recoveryBit: 0) == nil)
        #expect(Secp256k1Recovery.recoverPublicKey(hash: hash, r: r, s: s, recoveryBit: 2) == nil)
        #expect(Secp256k1Recovery.recoverPublicKey(hash: [1], r: r, s: s, recoveryBit: 0) == nil)
        #expect(Secp256k1Recovery.recoverPublicKey(hash: hash, r: [UInt8](repeating: 0xff, count: 32), s: s, recoveryBit: 0) == nil)
    }
}
