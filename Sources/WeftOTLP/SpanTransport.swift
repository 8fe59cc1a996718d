/// Delivers one encoded export request to a collector: ``OTLPHTTPTransport`` in production, a recorder
/// in tests.
public protocol SpanTransport: Sendable {
    /// Sends `body` (an OTLP/JSON `ExportTraceServiceRequest`); returns when the collector accepted
    /// it, throws when it refused it or could not be reached in time.
    func send(_ body: [UInt8]) async throws
}
