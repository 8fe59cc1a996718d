#if canImport(FoundationEssentials)
import FoundationEssentials  // JSON coding without swift-corelibs-foundation and its ICU data
#else
import Foundation
#endif
import Logging
import NIOHTTP1
import Prometheus

/// The name and build of the running executable, served by `GET /version`.
public struct OperationsVersion: Codable, Equatable, Sendable {
    /// The release, e.g. `0.1.0`.
    public let version: String
    /// The source revision it was built from, or `unknown`.
    public let commit: String

    /// A version document.
    public init(version: String, commit: String = "unknown") {
        self.version = version
        self.commit = commit
    }
}

/// Answers operations requests: `/healthz`, `/metrics`, `/logspec`, `/version`. No I/O of its own, so
/// the HTTP server and tests call it alike.
public struct OperationsRouter: Sendable {
    /// The health checks `GET /healthz` runs.
    public let health: HealthRegistry
    /// The log spec `GET`/`PUT /logspec` read and change.
    public let logLevels: LogLevelControl
    /// The registry `GET /metrics` renders.
    public let metrics: PrometheusCollectorRegistry
    /// What `GET /version` answers.
    public let version: OperationsVersion
    private let logger: Logger

    /// A router over these parts; `logger` records log spec changes.
    public init(health: HealthRegistry, logLevels: LogLevelControl, metrics: PrometheusCollectorRegistry,
                version: OperationsVersion, logger: Logger = Logger(label: "weft.operations")) {
        self.health = health
        self.logLevels = logLevels
        self.metrics = metrics
        self.version = version
        self.logger = logger
    }

    /// The paths served and the methods each allows.
    static let routes: [String: [HTTPMethod]] = [
        "/healthz": [.GET], "/metrics": [.GET], "/logspec": [.GET, .PUT], "/version": [.GET],
    ]

    /// The response to a complete request.
    public func respond(to request: OperationsRequest) async -> OperationsResponse {
        let path = request.path
        guard let methods = Self.routes[path] else {
            return .error(.notFound, "no such endpoint \(path); try /healthz, /metrics, /logspec or /version")
        }
        guard methods.contains(request.method) else {
            let allowed = methods.map(\.rawValue).joined(separator: ", ")
            var response = OperationsResponse.error(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(path); use \(allowed)")
            response.headers.append(("Allow", allowed))
            return response
        }
        switch (path, request.method) {
        case ("/healthz", _): return await healthz()
        case ("/metrics", _): return metricsText()
        case ("/logspec", .PUT): return putLogSpec(request.body)
        case ("/logspec", _): return getLogSpec()
        default: return versionDocument()
        }
    }

    private struct HealthDocument: Encodable {
        let status: String
        let failedChecks: [FailedHealthCheck]?
    }

    private struct LogSpecDocument: Codable {
        let spec: String
    }

    private func healthz() async -> OperationsResponse {
        let report = await health.check()
        if report.isHealthy {
            return .json(.ok, encode(HealthDocument(status: "OK", failedChecks: nil)))
        }
        for failure in report.failedChecks {
            logger.warning("health check failed", metadata: ["component": "\(failure.component)", "reason": "\(failure.reason)"])
        }
        return .json(.serviceUnavailable, encode(HealthDocument(status: "Service Unavailable", failedChecks: report.failedChecks)))
    }

    /// The registry's series, then the process metrics (`process_*`, read now).
    private func metricsText() -> OperationsResponse {
        var body = metrics.emitToBuffer()
        body += ProcessMetrics.sample().prometheusText.utf8
        return OperationsResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body)
    }

    private func getLogSpec() -> OperationsResponse {
        .json(.ok, encode(LogSpecDocument(spec: logLevels.spec.description)))
    }

    private func putLogSpec(_ body: [UInt8]) -> OperationsResponse {
        let document: LogSpecDocument
        do {
            document = try JSONDecoder().decode(LogSpecDocument.self, from: Data(body))
        } catch {
            return .error(.badRequest, "the body must be a JSON object {\"spec\": \"<log spec>\"}, e.g. {\"spec\":\"debug\"}")
        }
        let spec: LogSpec
        do {
            spec = try LogSpec(parsing: document.spec)
        } catch {
            return .error(.badRequest, error.description)
        }
        let previous = logLevels.spec
        logLevels.setSpec(spec)
        logger.notice("log spec changed", metadata: ["from": "\(previous)", "to": "\(spec)"])
        return OperationsResponse(status: .noContent)
    }

    private func versionDocument() -> OperationsResponse {
        .json(.ok, encode(version))
    }

    private func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // These documents are plain strings and arrays; encoding them cannot fail.
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }
}
