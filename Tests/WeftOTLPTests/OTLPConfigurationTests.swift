import Testing
@testable import WeftOTLP

/// The standard `OTEL_*` variables, read as OpenTelemetry defines them.
@Suite struct OTLPConfigurationTests {
    static let url = CollectorURL("http://127.0.0.1:4318/v1/traces")!

    @Test func defaultsWithoutVariables() throws {
        let configuration = try OTLPConfiguration(url: Self.url, serviceName: "peer0.org1", environment: [:])
        #expect(configuration.serviceName == "peer0.org1")
        #expect(configuration.sampler == .parentBased(root: .alwaysOn))
        #expect(configuration.scheduleDelay == .seconds(5))
        #expect(configuration.maxQueueSize == 2048 && configuration.maxExportBatchSize == 512)
        #expect(configuration.exportTimeout == .seconds(2))
        #expect(configuration.headers.isEmpty && configuration.notices.isEmpty)
    }

    @Test func variablesApply() throws {
        let configuration = try OTLPConfiguration(url: Self.url, serviceName: "peer0.org1", resourceAttributes: [("weft.role", "peer")], environment: [
            "OTEL_SERVICE_NAME": "peer-a",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=test, service.name=ignored",
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.25",
            "OTEL_BSP_SCHEDULE_DELAY": "100", "OTEL_BSP_MAX_QUEUE_SIZE": "8192", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "1024",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "10000", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "500",
            "OTEL_EXPORTER_OTLP_HEADERS": "api-key = s3cr%3Dt%2C1 ,x-tenant=weft",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json",
        ])
        #expect(configuration.serviceName == "peer-a")
        #expect(configuration.resourceAttributes.map { "\($0.key)=\($0.value)" } == ["weft.role=peer", "deployment.environment=test"])
        #expect(configuration.sampler == .parentBased(root: .traceIDRatio(0.25)))
        #expect(configuration.scheduleDelay == .milliseconds(100))
        #expect(configuration.maxQueueSize == 8192 && configuration.maxExportBatchSize == 1024)
        #expect(configuration.exportTimeout == .milliseconds(500))
        #expect(configuration.headers.map { "\($0.name)=\($0.value)" } == ["api-key=s3cr=t,1", "x-tenant=weft"])
        #expect(configuration.notices.isEmpty)
    }

    @Test func protobufIsSentAsJSONWithANotice() throws {
        let configuration = try OTLPConfiguration(url: Self.url, serviceName: "p", environment: ["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"])
        #expect(configuration.notices.count == 1)
    }

    @Test func unusableValuesStopTheProcess() {
        for (name, value) in [
            ("OTEL_TRACES_SAMPLER", "sometimes"), ("OTEL_BSP_SCHEDULE_DELAY", "5s"), ("OTEL_BSP_MAX_QUEUE_SIZE", "0"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "-1"), ("OTEL_EXPORTER_OTLP_HEADERS", "novalue"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "k=%zz"),
        ] {
            #expect(throws: OTLPConfigurationError.self, "\(name)=\(value)") {
                try OTLPConfiguration(url: Self.url, serviceName: "p", environment: [name: value])
            }
        }
    }

    @Test func collectorURLs() {
        let plain = CollectorURL("http://collector:4318/v1/traces")
        #expect(plain?.isTLS == false && plain?.host == "collector" && plain?.port == 4318 && plain?.path == "/v1/traces")
        let tls = CollectorURL("HTTPS://[::1]/otlp/v1/traces")
        #expect(tls?.isTLS == true && tls?.host == "::1" && tls?.port == 443 && tls?.path == "/otlp/v1/traces")
        #expect(tls?.hostHeader == "[::1]:443")
        #expect(CollectorURL("http://127.0.0.1:4318")?.path == "/")
        for invalid in ["grpc://collector:4317", "http://", "http://:4318/", "http://user@host/", "http://host:0/", "http://host:99999", "collector:4318"] {
            #expect(CollectorURL(invalid) == nil, "\(invalid)")
        }
    }
}
