import WeftCrypto

/// The precompiled contracts at addresses 0x01–0x0a. Provided: SHA-256 (0x02) and
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
        case 0x02:
            return charge(60 + 12 * words, gas) { SHA256.hash(input) }
        case 0x04:
            return charge(15 + 3 * words, gas) { input }
        default:
            return .failure(.precompileFailure)
        }
    }

    private static func charge(_ cost: Int, _ gas: Int, _ body: () -> [UInt8]) -> ExecutionResult {
        guard cost <= gas else { return .failure(.outOfGas) }
        return ExecutionResult(status: .success, gasLeft: gas - cost, output: body())
    }
}
