#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftClient
import WeftCommandLine
import WeftCrypto

/// The most transactions per second the machine could commit if ECDSA were all the work: the P-256
/// signatures and verifications one committed transaction costs across every process of the topology,
/// at the per-core rates measured in the same run (as `weft bench crypto` measures them), times the
/// cores. `weft bench e2e` reports its rate as a share of this bound (docs/BENCHMARKS.md).
///
/// Per transaction, with E endorsing organizations (one peer each) and P committing peers:
/// - the client signs the proposal and the envelope: 2 signatures;
/// - each endorser verifies the proposal and signs its endorsement: E verifications, E signatures;
/// - the orderer that receives the broadcast verifies the envelope: 1 verification;
/// - each committing peer verifies the creator and every endorsement: P × (1 + E) verifications.
/// Per-block signatures (the orderer's, and the peers' checks of it) and cached certificate checks
/// are shared by a block's transactions and left out.
struct SignatureBound: Codable, Sendable {
    var signaturesPerTransaction: Int
    var verificationsPerTransaction: Int
    /// Per CPU-second of one thread.
    var signaturesPerCoreSecond: Double
    var verificationsPerCoreSecond: Double
    var cores: Int
    /// Transactions per second if the cores did nothing but these operations.
    var transactionsPerSecond: Double

    /// The counts for a channel whose profile lists `peers`, at rates measured now for `seconds` each.
    static func measure(peers: [ConnectionProfile.Peer], seconds: Double) throws -> SignatureBound {
        let endorsers = Set(peers.map(\.mspID)).count
        let signatures = 2 + endorsers
        let verifications = endorsers + 1 + peers.count * (1 + endorsers)
        let key = try P256SigningKey()
        let message = Array(repeating: UInt8(0x5a), count: 32)
        let signature = try key.signature(for: message)
        let verifier = key.publicKey
        let signed = ThroughputMeter.measure(threads: 1, seconds: seconds) { (try? key.signature(for: message)) != nil }
        let verified = ThroughputMeter.measure(threads: 1, seconds: seconds) { verifier.isValidSignature(signature, for: message) }
        guard signed.failures == 0, verified.failures == 0 else {
            throw CLIFailure(.other, "\(signed.failures) signings and \(verified.failures) verifications failed while measuring the signature bound")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let cpuSecondsPerTransaction = Double(signatures) / signed.perCPUSecond + Double(verifications) / verified.perCPUSecond
        return SignatureBound(
            signaturesPerTransaction: signatures, verificationsPerTransaction: verifications,
            signaturesPerCoreSecond: signed.perCPUSecond, verificationsPerCoreSecond: verified.perCPUSecond,
            cores: cores, transactionsPerSecond: Double(cores) / cpuSecondsPerTransaction)
    }

    /// The bound with the rates of `self` and `other` averaged (measured before and after a run).
    func averaged(with other: SignatureBound) -> SignatureBound {
        var result = self
        result.signaturesPerCoreSecond = (signaturesPerCoreSecond + other.signaturesPerCoreSecond) / 2
        result.verificationsPerCoreSecond = (verificationsPerCoreSecond + other.verificationsPerCoreSecond) / 2
        let cpuSecondsPerTransaction = Double(signaturesPerTransaction) / result.signaturesPerCoreSecond
            + Double(verificationsPerTransaction) / result.verificationsPerCoreSecond
        result.transactionsPerSecond = Double(cores) / cpuSecondsPerTransaction
        return result
    }

    /// One line for the report: the bound, how it is made, and `committedPerSecond` as a share of it.
    func summary(committedPerSecond: Double) -> String {
        "signature bound \(Int(transactionsPerSecond.rounded())) tx/s (\(signaturesPerTransaction) signatures + "
            + "\(verificationsPerTransaction) verifications per tx at \(Int(signaturesPerCoreSecond.rounded())) and "
            + "\(Int(verificationsPerCoreSecond.rounded())) per core-second × \(cores) cores); this run: "
            + TextFormat.format("%.0f", 100 * committedPerSecond / transactionsPerSecond) + " % of it"
    }
}
