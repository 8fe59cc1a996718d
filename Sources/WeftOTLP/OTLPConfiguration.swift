import Logging
import NIOSSL

/// Everything an OTLP trace exporter of one process is set up with: where spans go, what resource
/// they describe, which traces are sampled, and the batch processor's limits. Read from the standard
/// `OTEL_*` variables with ``init(url:serviceName:resourceAttributes:environment:defaultTimeout:)``.
public struct OTLPConfiguration: Sendable {
    /// The collector's traces URL (`…/v1/traces`).
    public var url: CollectorURL
    /// `service.name`: the node's name, or `weft-client`.
    public var serviceName: String
    /// The other resource attributes, after `service.name`.
    public var resourceAttributes: [(key: String, value: String)]
    /// Which traces are recorded.
    public var sampler: TraceSampler
    /// The longest a span waits before it is exported.
    public var scheduleDelay: Duration
    /// The most spans waiting for export; more are dropped.
    public var maxQueueSize: Int
    /// The most spans in one export request.
    public var maxExportBatchSize: Int
    /// How long one export may take, connection included.
    public var exportTimeout: Duration
    /// Extra request headers.
    public var headers: [(name: String, value: String)]
    /// A PEM file of the certificates to trust for an `https` collector, instead of the system's.
    public var certificateFile: String?
    /// A PEM certificate chain and key to present to an `https` collector that asks for one.
    public var clientCertificateFile: String?
    /// The private key of ``clientCertificateFile``.
    public var clientKeyFile: String?
    /// What was set but is not supported, as it was handled (logged once the exporter exists).
    public var notices: [String] = []

    /// A configuration with OpenTelemetry's defaults (sampler `parentbased_always_on`, an export every
    /// 5 s, queue 2,048, batches of 512) and Weft's export timeout.
    public init(
        url: CollectorURL, serviceName: String, resourceAttributes: [(key: String, value: String)] = [],
        exportTimeout: Duration = .seconds(2)
    ) {
        self.url = url
        self.serviceName = serviceName
        self.resourceAttributes = resourceAttributes
        self.sampler = .default
        self.scheduleDelay = .seconds(5)
        self.maxQueueSize = 2048
        self.maxExportBatchSize = 512
        self.exportTimeout = exportTimeout
        self.headers = []
    }

    /// The exporter this configuration describes (not yet running: run it in a `ServiceGroup`).
    public func makeExporter(logger: Logger) throws -> OTLPSpanExporter {
        let transport = OTLPHTTPTransport(url: url, headers: headers, tls: try url.isTLS ? makeTLSContext() : nil, timeout: exportTimeout)
        let encoder = OTLPJSONEncoder(resourceAttributes: [("service.name", serviceName)] + resourceAttributes)
        for notice in notices { logger.warning("\(notice)") }
        return OTLPSpanExporter(
            transport: transport, encoder: encoder, scheduleDelay: scheduleDelay, maxQueueSize: maxQueueSize,
            maxExportBatchSize: maxExportBatchSize, logger: logger)
    }

    /// TLS 1.2 or later, verifying the collector's certificate and name against the system's roots or
    /// ``certificateFile``, presenting the client certificate when one is configured.
    public func makeTLSContext() throws -> NIOSSLContext {
        var settings = TLSConfiguration.makeClientConfiguration()
        settings.minimumTLSVersion = .tlsv12
        if let certificateFile {
            settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificateFile))
        }
        if let clientCertificateFile, let clientKeyFile {
            settings.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificateFile).map { .certificate($0) }
            settings.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientKeyFile, format: .pem))
        }
        return try NIOSSLContext(configuration: settings)
    }
}
