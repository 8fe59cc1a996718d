#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Identity
import Logging
import Operations
import WeftCrypto
import WeftProtocol

/// The version every node reports on `/version` and `weft version` prints.
public enum WeftVersion {
    public static let current = "0.1.0"
}

/// A node's operations endpoint (docs/operations.md): `/healthz` from the node's own checks,
/// `/metrics`, `/logspec`, `/version`, on the configured `operations` address; over HTTPS with the
/// node's current TLS certificate when `operationsTLS` is on, and then only an administrator of the
/// node's own organization may `PUT /logspec`.
enum NodeOperations {
    /// Starts the endpoint when the configuration names an address; nil otherwise.
    static func start(
        _ context: NodeContext, checks: [(component: String, check: @Sendable () async throws -> Void)], logger: Logger
    ) async throws -> OperationsServer? {
        guard let address = context.configuration.operations, let endpoint = Endpoint(address) else { return nil }
        let metrics = WeftMetrics.registry
        let health = HealthRegistry()
        for (component, check) in checks { health.register(component: component, check: check) }
        let router = OperationsRouter(health: health, logLevels: WeftLogging.control, metrics: metrics,
                                      version: OperationsVersion(version: WeftVersion.current))
        let tls = context.configuration.operationsTLS == true ? tlsSettings(context) : nil
        let server = try await OperationsServer.start(
            configuration: .init(host: endpoint.host, port: endpoint.port, tls: tls), router: router, logger: logger)
        let scheme = server.configuration.scheme
        let access = tls == nil ? "" : "; PUT /logspec needs a \(context.configuration.mspID) admin client certificate"
        logger.info("operations endpoint on \(scheme)://\(endpoint.host):\(server.port) (healthz, metrics, logspec, version\(access))")
        return server
    }

    /// Bootstraps the metrics backend when the node serves an operations endpoint, unless
    /// `WEFT_METRICS=off`: first thing a node does, before it makes any metric object.
    static func bootstrapMetrics(_ context: NodeContext) {
        guard context.configuration.operations != nil else { return }
        WeftMetrics.bootstrapUnlessSwitchedOff(environment: ProcessInfo.processInfo.environment)
    }

    /// HTTPS from the node's current TLS credentials (rotation applies from the next connection), with
    /// the administrators being admins of the node's own organization, validated against its TLS CA at
    /// the time of the request.
    static func tlsSettings(_ context: NodeContext) -> OperationsTLS {
        let security = context.security
        let admission = context.admission
        let mspID = context.configuration.mspID
        return OperationsTLS(
            credentials: {
                let current = security.credentials
                return .init(certificateChain: current.sslCertificateChain, privateKey: current.sslPrivateKey)
            },
            minimumTLSVersion: security.allowsTLS12 ? .tlsv12 : .tlsv13,
            isAdministrator: { leafDER in
                guard let certificate = try? Certificate(derRepresentation: leafDER),
                      case .success(let identity) = admission.membership.validateTLS(certificate, at: Date())
                else { return false }
                return identity.isAdmin && identity.mspID == mspID
            })
    }
}
