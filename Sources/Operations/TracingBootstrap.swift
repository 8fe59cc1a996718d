import Instrumentation
import Logging
import ServiceLifecycle
import WeftOTLP
import WeftTracing

/// Turns on traces for a process when an OTLP endpoint is configured (docs/operations.md, "Traces"):
/// bootstraps Weft's OTLP tracer (`WeftOTLP`: OTLP/HTTP with JSON, batched) as the process's
/// swift-distributed-tracing backend and enables `WeftTracing`. Without an endpoint nothing is
/// bootstrapped: the tracer stays swift-distributed-tracing's no-op one, Weft makes no spans and puts
/// no trace context on the wire.
///
/// Only traces: metrics stay on the Prometheus endpoint and logs on stderr. The standard `OTEL_*`
/// variables apply on top (`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`, `OTEL_BSP_SCHEDULE_DELAY`,
/// `OTEL_EXPORTER_OTLP_HEADERS`, …; `OTLPConfiguration.init(url:serviceName:resourceAttributes:environment:defaultTimeout:)`).
public enum TracingBootstrap {
    /// The variable that names the collector: `WEFT_OTLP_ENDPOINT=http://127.0.0.1:4318` (spans go to
    /// its `/v1/traces`; a URL that already ends in `/v1/traces` is used as it is).
    public static let endpointVariable = "WEFT_OTLP_ENDPOINT"

    /// How long one export may take (`OTEL_EXPORTER_OTLP_TIMEOUT` overrides it; the OpenTelemetry
    /// default of 10 s would hold a short command's exit that long when the collector is down).
    public static let exportTimeout = Duration.seconds(2)

    /// `WEFT_OTLP_ENDPOINT` is set but is not an `http://` or `https://` URL.
    public struct InvalidEndpoint: Error, CustomStringConvertible {
        public var value: String
        public var description: String { "\(endpointVariable)=\"\(value)\": expected http://host:port or https://host:port" }
    }

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
    /// Throws for an endpoint or an `OTEL_*` value that cannot be used. Call at most once per process.
    public static func bootstrapIfConfigured(
        serviceName: String, role: String, environment: [String: String], logger: Logger
    ) throws -> (any Service)? {
        guard let text = tracesURL(environment: environment) else { return nil }
        guard let url = CollectorURL(text) else { throw InvalidEndpoint(value: environment[endpointVariable] ?? text) }
        let configuration = try OTLPConfiguration(
            url: url, serviceName: serviceName, resourceAttributes: [("weft.role", role)], environment: environment,
            defaultTimeout: exportTimeout)
        let exporter = try configuration.makeExporter(logger: logger)
        InstrumentationSystem.bootstrap(OTLPTracer(exporter: exporter, sampler: configuration.sampler))
        WeftTracing.enable()
        logger.info("tracing on: spans of \(configuration.serviceName) go to \(url) (OTLP/HTTP, JSON)")
        return exporter
    }
}
