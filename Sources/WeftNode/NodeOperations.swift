import Logging
import Operations

/// The version every node reports on `/version` and `weft version` prints.
public enum WeftVersion {
    public static let current = "0.1.0"
}

/// A node's operations endpoint (docs/operations.md): `/healthz` from the node's own checks,
/// `/metrics`, `/logspec`, `/version`, on the configured `operations` address.
enum NodeOperations {
    /// Starts the endpoint when the configuration names an address; nil otherwise.
    static func start(
        _ context: NodeContext, checks: [(component: String, check: @Sendable () async throws -> Void)], logger: Logger
    ) async throws -> OperationsServer? {
        guard let address = context.configuration.operations, let endpoint = Endpoint(address) else { return nil }
        let metrics = WeftMetrics.bootstrap()
        let health = HealthRegistry()
        for (component, check) in checks { health.register(component: component, check: check) }
        let router = OperationsRouter(health: health, logLevels: WeftLogging.control, metrics: metrics,
                                      version: OperationsVersion(version: WeftVersion.current))
        let server = try await OperationsServer.start(
            configuration: .init(host: endpoint.host, port: endpoint.port), router: router, logger: logger)
        logger.info("operations endpoint on \(endpoint.host):\(server.port) (healthz, metrics, logspec, version)")
        return server
    }
}
