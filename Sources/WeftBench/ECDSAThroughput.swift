import WeftCommandLine
import WeftCrypto

/// P-256 signing and verification of a 32-byte message with one key, timed by `ThroughputMeter`: what
/// `weft bench crypto` reports and what the signature bound of `weft bench e2e` is made of.
struct ECDSAThroughput: Sendable {
    /// One signing; false when it failed.
    let sign: @Sendable () -> Bool
    /// One verification of a valid signature; false when it did not verify.
    let verify: @Sendable () -> Bool

    /// A fresh key, and a signature for `verify` to check.
    init() throws {
        let message = Array(repeating: UInt8(0x5a), count: 32)
        let key: P256SigningKey
        let signature: [UInt8]
        do {
            key = try P256SigningKey()
            signature = try key.signature(for: message)
        } catch {
            throw CLIFailure(.other, "could not create a benchmark key: \(error)")
        }
        let verifier = key.publicKey
        sign = { (try? key.signature(for: message)) != nil }
        verify = { verifier.isValidSignature(signature, for: message) }
    }

    /// Signs, then verifies, each for `seconds` on `threads` threads; throws when any operation failed.
    func measure(threads: Int, seconds: Double, progress: (String) -> Void = { _ in })
        throws -> (signed: ThroughputMeter.Measurement, verified: ThroughputMeter.Measurement) {
        progress("WeftCrypto sign, \(threads) thread(s), \(seconds) s …")
        let signed = ThroughputMeter.measure(threads: threads, seconds: seconds, operation: sign)
        progress("WeftCrypto verify, \(threads) thread(s), \(seconds) s …")
        let verified = ThroughputMeter.measure(threads: threads, seconds: seconds, operation: verify)
        guard signed.failures == 0, verified.failures == 0 else {
            throw CLIFailure(.other, "\(signed.failures) signings and \(verified.failures) verifications failed during the run")
        }
        return (signed, verified)
    }
}
