import WeftCrypto

/// The precompiled contracts at addresses 0x01–0x0a. Provided: ecrecover (0x01, on OpenSSL's secp256k1), SHA-256 (0x02) and
/// identity (0x04). A call to any other precompile address fails with `precompileFailure` (all its
/// gas consumed) rather than silently returning nothing; see docs/evm.md.
enum Precompiles {
    /// True for 0x01…0x0a, the precompile addresses of Cancun.
    static func contains(_ address: Address) -> Bool {
        address.word.fitsInUInt64 && address.word.l0 >= 1 && address.word.l0 <= 0x0a
    }

    /// Runs the precompile at `address` with `gas`.
    static func run(_ address: Address, input: [UInt8], gas: Int) -> ExecutionResult {
        let words = GasSchedule.words(input.count)
        switch address.word.l0 {
        case 0x01:
            return charge(3000, gas) { ecrecover(input) }
        case 0x02:
            return charge(60 + 12 * words, gas) { SHA256.hash(input) }
        case 0x04:
            return charge(15 + 3 * words, gas) { input }
        default:
            return .failure(.precompileFailure)
        }
    }

    /// ecrecover: input hash ‖ v ‖ r ‖ s (zero-padded to 128 bytes); output the signer's address as
    /// a word, or nothing when v is not 27/28 or the signature recovers no key.
    static func ecrecover(_ input: [UInt8]) -> [UInt8] {
        let padded = input.count >= 128 ? Array(input[..<128]) : input + [UInt8](repeating: 0, count: 128 - input.count)
        guard let v = UInt256(bigEndian: padded[32..<64]), v == 27 || v == 28,
              let key = Secp256k1Recovery.recoverPublicKey(
                  hash: Array(padded[0..<32]), r: Array(padded[64..<96]), s: Array(padded[96..<128]),
                  recoveryBit: Int(v.l0 - 27)),
              let signer = Address(publicKeyPoint: key)
        else { return [] }
        return signer.word.bigEndianBytes
    }

    private static func charge(_ cost: Int, _ gas: Int, _ body: () -> [UInt8]) -> ExecutionResult {
        guard cost <= gas else { return .failure(.outOfGas) }
        return ExecutionResult(status: .success, gasLeft: gas - cost, output: body())
    }
}
