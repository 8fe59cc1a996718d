import Logging
import OTel
import ServiceLifecycle
import WeftTracing

/// Turns on traces for a process when an OTLP endpoint is configured (docs/operations.md, "Traces"):
/// bootstraps swift-otel's tracer (OTLP/HTTP, protobuf, batched) as the process's
/// swift-distributed-tracing backend and enables `WeftTracing`. Without an endpoint nothing is
/// bootstrapped: the tracer stays swift-distributed-tracing's no-op one, Weft makes no spans and puts
/// no trace context on the wire.
///
/// Only traces: metrics stay on the Prometheus endpoint and logs on stderr. The standard `OTEL_*`
/// variables apply on top (`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`, `OTEL_BSP_SCHEDULE_DELAY`,
/// `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `OTEL_EXPORTER_OTLP_HEADERS`, …).
public enum TracingBootstrap {
    /// The variable that names the collector: `WEFT_OTLP_ENDPOINT=http://127.0.0.1:4318` (spans go to
    /// its `/v1/traces`; a URL that already ends in `/v1/traces` is used as it is).
    public static let endpointVariable = "WEFT_OTLP_ENDPOINT"

    /// How long one export may take (`OTEL_EXPORTER_OTLP_TIMEOUT` overrides it; the OpenTelemetry
    /// default of 10 s would hold a short command's exit that long when the collector is down).
    public static let exportTimeout = Duration.seconds(2)

    /// The traces URL for the configured endpoint, or nil when none is configured.
    public static func tracesURL(environment: [String: String]) -> String? {
        guard var endpoint = environment[endpointVariable]?.split(whereSeparator: \.isWhitespace).joined(), !endpoint.isEmpty else {
            return nil
        }
        if endpoint.hasSuffix("/v1/traces") { return endpoint }
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        return endpoint + "/v1/traces"
    }

    /// Bootstraps tracing when `WEFT_OTLP_ENDPOINT` is set, naming this process `serviceName` (a
    /// node's name, or `weft-client`) with the resource attribute `weft.role`. Returns the exporter's
    /// service, which must run (in the process's `ServiceGroup`, before the services whose spans it
    /// exports, so it stops after them and flushes their last spans); nil when tracing stays off.
    /// Call at most once per process.
    public static func bootstrapIfConfigured(
        serviceName: String, role: String, environment: [String: String], logger: Logger
    ) throws -> (any Service)? {
        guard let url = tracesURL(environment: environment) else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.resourceAttributes = ["weft.role": role]
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = diagnosticLevel(logger.logLevel)
        configuration.propagators = [.traceContext]
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = url
        // An unreachable collector holds an export (and a process's final flush) this long at most.
        configuration.traces.otlpExporter.timeout = exportTimeout
        let service = try OTel.bootstrap(configuration: configuration, environment: environment)
        WeftTracing.enable()
        logger.info("tracing on: spans of \(serviceName) go to \(url) (OTLP/HTTP)")
        return service
    }

    /// swift-otel's own messages at `level` and above (it filters them before they reach the logger).
    static func diagnosticLevel(_ level: Logger.Level) -> OTel.Configuration.LogLevel {
        switch level {
        case .trace: .trace
        case .debug: .debug
        case .info, .notice: .info
        case .warning: .warning
        case .error, .critical: .error
        }
    }
}
