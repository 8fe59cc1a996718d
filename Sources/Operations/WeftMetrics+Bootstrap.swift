import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus

extension WeftMetrics {
    /// The process's Prometheus registry, the one `GET /metrics` renders.
    public static let registry = PrometheusCollectorRegistry()

    /// Buckets of ``Name/blockCommitSeconds``: commit stages take from well under a millisecond (MVCC of
    /// a small block) to seconds (a large block on a slow disk).
    public static let commitStageBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5),
    ]

    private static let bootstrapped = NIOLockedValueBox(false)

    /// Makes ``registry`` the swift-metrics backend, the first time it is called in the process; later
    /// calls do nothing (swift-metrics can be bootstrapped only once, so nothing else in the process may
    /// bootstrap it). Returns ``registry``.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.durationHistogramBuckets[Name.blockCommitSeconds] = commitStageBuckets
            MetricsSystem.bootstrap(factory)
            done = true
        }
        return registry
    }

    /// Whether ``bootstrap()`` has run in this process.
    public static var isBootstrapped: Bool {
        bootstrapped.withLockedValue { $0 }
    }
}
