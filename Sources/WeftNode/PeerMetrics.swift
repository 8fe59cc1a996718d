import Committer
import CoreMetrics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import Operations
import WeftCore

/// A peer's metrics (docs/operations.md), made once when the peer starts — after the metrics
/// bootstrap — and recorded into from the endorse route, the committer's observer and a one-second
/// sampler. Nothing here is made or formatted per transaction: transactions are counted per block, by
/// (code, chaincode), into counters kept in a table.
final class PeerMetrics: Sendable {
    private let proposalsReceived = Counter(label: WeftMetrics.Name.proposalsReceived)
    private let proposalsEndorsed = Counter(label: WeftMetrics.Name.proposalsEndorsed)
    private let endorsementDuration = CoreMetrics.Timer(label: WeftMetrics.Name.endorsementDuration)
    private let refusals: [ProposalRefusal: Counter] = Dictionary(uniqueKeysWithValues: ProposalRefusal.allCases.map {
        ($0, Counter(label: WeftMetrics.Name.proposalsRefused, dimensions: [("reason", $0.rawValue)]))
    })
    private let validationDuration = CoreMetrics.Timer(label: WeftMetrics.Name.blockValidationDuration)
    private let stateCommitDuration = CoreMetrics.Timer(label: WeftMetrics.Name.stateCommitDuration)
    private let stages: [WeftMetrics.CommitStage: CoreMetrics.Timer] = Dictionary(uniqueKeysWithValues: WeftMetrics.CommitStage.allCases.map {
        ($0, WeftMetrics.blockCommitTime(stage: $0))
    })
    private let blockTransactions = Recorder(label: WeftMetrics.Name.blockTransactions, aggregate: true)
    private let readConflicts = Counter(label: WeftMetrics.Name.mvccConflicts, dimensions: [("kind", "read")])
    private let phantomConflicts = Counter(label: WeftMetrics.Name.mvccConflicts, dimensions: [("kind", "phantom")])
    private let validated = NIOLockedValueBox<[ValidatedKey: Counter]>([:])
    private let heights = NIOLockedValueBox<[String: Gauge]>([:])
    private let ledgerFileBytes = Gauge(label: WeftMetrics.Name.ledgerFileBytes)
    private let ledgerWALBytes = Gauge(label: WeftMetrics.Name.ledgerWALBytes)
    private let connected = WeftMetrics.connectedPeers()
    /// Commit-event streams open.
    let commitEventSubscribers = Meter(label: WeftMetrics.Name.commitEventSubscribers)

    private struct ValidatedKey: Hashable {
        let code: ValidationCode
        let chaincode: String?
    }

    /// Why a proposal got no endorsement (the `reason` label), from the endorser's answer.
    enum ProposalRefusal: String, CaseIterable, Sendable {
        case badRequest = "bad_request"
        case forbidden
        case notFound = "not_found"
        case duplicateTxID = "duplicate_txid"
        case peerError = "peer_error"
        /// The chaincode ran and answered an error.
        case chaincodeError = "chaincode_error"

        init(_ response: ProposalResponse) {
            guard response.payloadBytes.isEmpty else {
                self = .chaincodeError
                return
            }
            switch response.status {
            case 400: self = .badRequest
            case 403: self = .forbidden
            case 404: self = .notFound
            case 409: self = .duplicateTxID
            default: self = .peerError
            }
        }
    }

    init() {}

    /// Runs `endorse` on a received proposal and records its outcome: endorsed (with its duration) or
    /// refused by reason.
    func endorsing(_ endorse: () -> ProposalResponse) -> ProposalResponse {
        proposalsReceived.increment()
        let start = ContinuousClock.now
        let response = endorse()
        if response.endorsement != nil {
            endorsementDuration.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
            proposalsEndorsed.increment()
        } else {
            refusals[ProposalRefusal(response)]?.increment()
        }
        return response
    }

    /// Records a committed block (the committer's observer).
    func committed(_ record: BlockCommitRecord) {
        validationDuration.recordNanoseconds((record.signatureChecks + record.mvcc).nanoseconds)
        stateCommitDuration.recordNanoseconds(record.ledgerCommit.nanoseconds)
        stages[.signatureChecks]?.recordNanoseconds(record.signatureChecks.nanoseconds)
        stages[.mvcc]?.recordNanoseconds(record.mvcc.nanoseconds)
        stages[.ledgerCommit]?.recordNanoseconds(record.ledgerCommit.nanoseconds)
        blockTransactions.record(record.transactions.count)
        var counts: [ValidatedKey: Int64] = [:]
        for transaction in record.transactions {
            counts[ValidatedKey(code: transaction.code, chaincode: transaction.chaincode), default: 0] += 1
            if transaction.code == .mvccReadConflict { readConflicts.increment() }
            if transaction.code == .phantomReadConflict { phantomConflicts.increment() }
        }
        let counters = validated.withLockedValue { table in
            counts.map { key, count in
                let counter = table[key] ?? {
                    let made = WeftMetrics.transactionsValidated(code: key.code.name, chaincode: key.chaincode ?? "unknown")
                    table[key] = made
                    return made
                }()
                return (counter, count)
            }
        }
        for (counter, count) in counters { counter.increment(by: count) }
    }

    /// Samples, once a second until cancelled, the ledger files' sizes (summed over the channels),
    /// whether every channel is connected to an orderer, and each channel's height (`channel` label).
    func sample(
        ledgerPaths: @Sendable () -> [String], connected isConnected: @Sendable () -> Bool,
        heights: @Sendable () -> [(String, UInt64)]
    ) async {
        while !Task.isCancelled {
            let paths = ledgerPaths()
            ledgerFileBytes.record(paths.reduce(0) { $0 + Self.fileSize($1) })
            ledgerWALBytes.record(paths.reduce(0) { $0 + Self.fileSize($1 + "-wal") })
            connected.record(isConnected() ? 1 : 0)
            for (channel, height) in heights() {
                let gauge = self.heights.withLockedValue { gauges in
                    if let gauge = gauges[channel] { return gauge }
                    let made = WeftMetrics.blockHeight(channel: channel)
                    gauges[channel] = made
                    return made
                }
                gauge.record(Int64(height))
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// A file's size in bytes, 0 when it does not exist.
    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Int64(info.st_size)
    }
}

extension Duration {
    /// The duration in whole nanoseconds (for swift-metrics timers).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
