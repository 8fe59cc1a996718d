import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus

extension WeftMetrics {
    /// The process's Prometheus registry, the one `GET /metrics` renders.
    public static let registry = PrometheusCollectorRegistry()

    /// Buckets of ``Name/blockCommitSeconds``, ``Name/blockValidationDuration`` and
    /// ``Name/stateCommitDuration``: commit stages take from well under a millisecond (MVCC of a small
    /// block) to seconds (a large block on a slow disk). docs/BENCHMARKS.md ("Peer: validate and
    /// commit"): a 500-transaction block waits about 72 ms for its signature checks, 2 ms in MVCC and
    /// 14 ms in its SQLite commit on 2 cores.
    public static let commitStageBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5),
    ]

    /// Buckets of ``Name/rpcRequestDuration`` and ``Name/endorsementDuration``: a simulation takes
    /// 15–25 µs (docs/BENCHMARKS.md, "Execution": 55,000/s on one core), an endorsement adds a signature
    /// check and a signature (about 0.1 ms each) and, at saturation, queueing behind 256 calls in flight.
    public static let requestBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5),
    ]

    /// Buckets of ``Name/broadcastToBlockDuration``: bounded below by nothing (a full batch cuts at
    /// once) and above by the batch timeout (100 ms in `weft bench e2e`, 2 s by default) plus a Raft
    /// round and the block write; p50 submit → commit is 90–220 ms in docs/BENCHMARKS.md.
    public static let orderingBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(150), .milliseconds(250), .milliseconds(500),
        .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10),
    ]

    /// Buckets of ``Name/blockTransactions`` and ``Name/blockEnvelopes``: from one transaction (a
    /// timeout cut of a quiet network) to `maxTxCount` (500 by default).
    public static let blockSizeBuckets: [Double] = [1, 2, 5, 10, 25, 50, 100, 150, 200, 300, 400, 500, 1000]

    private static let bootstrapped = NIOLockedValueBox(false)

    /// The environment variable that turns a node's metrics off (`WEFT_METRICS=off`): the node does not
    /// bootstrap swift-metrics, every metric object is swift-metrics' no-op and `/metrics` is empty.
    /// For measuring what recording costs (`weft bench e2e --metrics off`).
    public static let switchVariable = "WEFT_METRICS"

    /// The swift-metrics factory over ``registry``, with Weft's histogram buckets.
    static func factory() -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        for name in [Name.blockCommitSeconds, Name.blockValidationDuration, Name.stateCommitDuration] {
            factory.durationHistogramBuckets[name] = commitStageBuckets
        }
        factory.durationHistogramBuckets[Name.rpcRequestDuration] = requestBuckets
        factory.durationHistogramBuckets[Name.endorsementDuration] = requestBuckets
        factory.durationHistogramBuckets[Name.broadcastToBlockDuration] = orderingBuckets
        factory.valueHistogramBuckets[Name.blockTransactions] = blockSizeBuckets
        factory.valueHistogramBuckets[Name.blockEnvelopes] = blockSizeBuckets
        return factory
    }

    /// Makes ``registry`` the swift-metrics backend, the first time it is called in the process; later
    /// calls do nothing (swift-metrics can be bootstrapped only once, so nothing else in the process may
    /// bootstrap it). Returns ``registry``.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            MetricsSystem.bootstrap(factory())
            done = true
        }
        return registry
    }

    /// Bootstraps as ``bootstrap()`` unless `environment[WEFT_METRICS]` is `off` (or `0`, `false`);
    /// returns whether metrics are on. A node calls this before it makes any metric object.
    @discardableResult
    public static func bootstrapUnlessSwitchedOff(environment: [String: String]) -> Bool {
        let value = environment[switchVariable]?.lowercased()
        guard value != "off", value != "0", value != "false" else { return false }
        bootstrap()
        return true
    }

    /// Whether ``bootstrap()`` has run in this process.
    public static var isBootstrapped: Bool {
        bootstrapped.withLockedValue { $0 }
    }
}
