import Logging
import Operations
import Testing

/// What `WEFT_OTLP_ENDPOINT` turns into, and the values that stop a process before any tracer is
/// bootstrapped (bootstrapping itself is once per process, so it is left to NetworkTests' TracingTests).
@Suite struct TracingBootstrapTests {
    @Test func theEndpointGainsTheTracesPath() {
        #expect(TracingBootstrap.tracesURL(environment: [:]) == nil)
        #expect(TracingBootstrap.tracesURL(environment: ["WEFT_OTLP_ENDPOINT": " "]) == nil)
        #expect(TracingBootstrap.tracesURL(environment: ["WEFT_OTLP_ENDPOINT": "http://collector:4318/"]) == "http://collector:4318/v1/traces")
        #expect(TracingBootstrap.tracesURL(environment: ["WEFT_OTLP_ENDPOINT": "https://c/otlp/v1/traces"]) == "https://c/otlp/v1/traces")
    }

    @Test func offWithoutAnEndpoint() throws {
        #expect(try TracingBootstrap.bootstrapIfConfigured(serviceName: "p", role: "peer", environment: [:], logger: Logger(label: "t")) == nil)
    }

    @Test func anUnusableSettingStopsTheProcess() {
        #expect(throws: TracingBootstrap.InvalidEndpoint.self) {
            try TracingBootstrap.bootstrapIfConfigured(
                serviceName: "p", role: "peer", environment: ["WEFT_OTLP_ENDPOINT": "collector:4318"], logger: Logger(label: "t"))
        }
        #expect(throws: (any Error).self) {
            try TracingBootstrap.bootstrapIfConfigured(
                serviceName: "p", role: "peer",
                environment: ["WEFT_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_SAMPLER": "sometimes"], logger: Logger(label: "t"))
        }
    }
}
