#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftClient
import WeftCommandLine

/// The most transactions per second the machine could commit if ECDSA were all the work: the P-256
/// signatures and verifications one committed transaction costs across every process of the topology,
/// at the per-core rates measured in the same run (as `weft bench crypto` measures them), times the
/// cores. `weft bench e2e` reports its rate as a share of this bound (docs/BENCHMARKS.md).
///
/// Per transaction, with E endorsing organizations (one peer each) and P committing peers:
/// - the client signs the proposal and the envelope: 2 signatures;
/// - each endorser verifies the proposal and signs its endorsement: E verifications, E signatures;
/// - the orderer that receives the broadcast verifies the envelope: 1 verification;
/// - each committing peer verifies the creator and every endorsement but the one it signed itself
///   (its `OwnSignatures` knows it): P × (1 + E) − E verifications.
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

    /// The bound of `signatures` and `verifications` per transaction at these per-core rates.
    init(signatures: Int, verifications: Int, signaturesPerCoreSecond: Double, verificationsPerCoreSecond: Double, cores: Int) {
        signaturesPerTransaction = signatures
        verificationsPerTransaction = verifications
        self.signaturesPerCoreSecond = signaturesPerCoreSecond
        self.verificationsPerCoreSecond = verificationsPerCoreSecond
        self.cores = cores
        transactionsPerSecond = Double(cores) * 1000 / Self.cpuMilliseconds(
            signatures: signatures, verifications: verifications, signaturesPerCoreSecond, verificationsPerCoreSecond)
    }

    /// The counts for a channel whose profile lists `peers`, at rates measured now for `seconds` each.
    static func measure(peers: [ConnectionProfile.Peer], seconds: Double) throws -> SignatureBound {
        let endorsers = Set(peers.map(\.mspID)).count
        let (signed, verified) = try ECDSAThroughput().measure(threads: 1, seconds: seconds)
        let (proposalChecks, broadcastCheck, commitChecks) = (endorsers, 1, peers.count * (1 + endorsers) - endorsers)
        return SignatureBound(
            signatures: 2 + endorsers, verifications: proposalChecks + broadcastCheck + commitChecks,
            signaturesPerCoreSecond: signed.perCPUSecond, verificationsPerCoreSecond: verified.perCPUSecond,
            cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// CPU milliseconds the signatures and verifications of one transaction take, over all processes.
    var cpuMillisecondsPerTransaction: Double {
        Self.cpuMilliseconds(signatures: signaturesPerTransaction, verifications: verificationsPerTransaction, signaturesPerCoreSecond, verificationsPerCoreSecond)
    }

    private static func cpuMilliseconds(signatures: Int, verifications: Int, _ signRate: Double, _ verifyRate: Double) -> Double {
        1000 * (Double(signatures) / signRate + Double(verifications) / verifyRate)
    }

    /// The bound with the rates of `self` and `other` averaged (measured before and after a run).
    func averaged(with other: SignatureBound) -> SignatureBound {
        SignatureBound(
            signatures: signaturesPerTransaction, verifications: verificationsPerTransaction,
            signaturesPerCoreSecond: (signaturesPerCoreSecond + other.signaturesPerCoreSecond) / 2,
            verificationsPerCoreSecond: (verificationsPerCoreSecond + other.verificationsPerCoreSecond) / 2, cores: cores)
    }

    /// One line for the report: the bound, how it is made, and `committedPerSecond` as a share of it.
    func summary(committedPerSecond: Double) -> String {
        "signature bound \(Int(transactionsPerSecond.rounded())) tx/s (\(signaturesPerTransaction) signatures + "
            + "\(verificationsPerTransaction) verifications per tx at \(Int(signaturesPerCoreSecond.rounded())) and "
            + "\(Int(verificationsPerCoreSecond.rounded())) per core-second × \(cores) cores); this run: "
            + TextFormat.format("%.0f", 100 * committedPerSecond / transactionsPerSecond) + " % of it"
    }
}
